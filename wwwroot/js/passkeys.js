// Passkeys (WebAuthn): the server renders each ceremony's options in the form's data-passkey-options (made by Fido2,
// binary fields as base64url) and checks the answer; this script only asks the browser for the passkey and puts its
// answer, as JSON, into the form's hidden field. Loaded from the pages that have such a form (no inline script).
(() => {
    'use strict';

    const toBytes = text => {
        const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
        return Uint8Array.from(atob(base64), c => c.charCodeAt(0)).buffer;
    };
    const toText = buffer => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

    const creationOptions = options => ({
        ...options,
        challenge: toBytes(options.challenge),
        user: { ...options.user, id: toBytes(options.user.id) },
        excludeCredentials: (options.excludeCredentials || []).map(c => ({ ...c, id: toBytes(c.id) })),
    });
    const requestOptions = options => ({
        ...options,
        challenge: toBytes(options.challenge),
        allowCredentials: (options.allowCredentials || []).map(c => ({ ...c, id: toBytes(c.id) })),
    });

    const created = credential => ({
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
            attestationObject: toText(credential.response.attestationObject),
            clientDataJSON: toText(credential.response.clientDataJSON),
            transports: credential.response.getTransports ? credential.response.getTransports() : [],
        },
    });
    const asserted = credential => ({
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
            authenticatorData: toText(credential.response.authenticatorData),
            clientDataJSON: toText(credential.response.clientDataJSON),
            signature: toText(credential.response.signature),
            userHandle: credential.response.userHandle ? toText(credential.response.userHandle) : null,
        },
    });

    const wire = (selector, ceremony) => {
        for (const form of document.querySelectorAll(selector)) {
            const field = form.querySelector('[data-passkey-credential]');
            const status = form.querySelector('[data-passkey-status]');
            let answered = false;
            form.addEventListener('submit', async event => {
                if (answered) return;
                event.preventDefault();
                if (!window.PublicKeyCredential || !navigator.credentials) {
                    status.textContent = 'This browser does not support passkeys.';
                    return;
                }

                try {
                    field.value = JSON.stringify(await ceremony(JSON.parse(form.dataset.passkeyOptions)));
                } catch (error) {
                    status.textContent = error && error.name === 'NotAllowedError'
                        ? 'No passkey was used: the request was cancelled or timed out.'
                        : 'The passkey request did not work: ' + (error && error.message ? error.message : error);
                    return;
                }

                answered = true;
                form.submit();
            });
        }
    };

    wire('form[data-passkey-create]', async options => created(await navigator.credentials.create({ publicKey: creationOptions(options) })));
    wire('form[data-passkey-sign-in]', async options => asserted(await navigator.credentials.get({ publicKey: requestOptions(options) })));
})();
