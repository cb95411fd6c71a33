namespace Portal.Features.Clients;

/// <summary>The "Client" box (<c>_ClientPicker.cshtml</c>): its name in the form, and what the last answer made of it.</summary>
/// <param name="Name">The form field's name; a choice among several matches is sent under the same name.</param>
public sealed record ClientPickerView(string Name, PickClient.Result Pick)
{
    /// <summary>The box of a form whose client field is "client", as in the admin lists' <c>?client=</c> links.</summary>
    public ClientPickerView(PickClient.Result pick)
        : this("client", pick)
    {
    }

    public string Id => Name.Replace('.', '_');

    public string ErrorId => $"{Id}-error";

    public string HelpId => $"{Id}-help";
}
