using System.Reflection;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Infrastructure.Pipeline;

/// <summary>
/// The one place where a handler's answer becomes a response. Before any handler of a <see cref="IPageWithData"/> runs, the
/// page's display data is loaded (<see cref="IPageWithData.LoadAsync"/>; false → not found). Then: a refusal becomes
/// ModelState errors beside their fields and the page is rendered again; a conflict becomes the conflict message on the
/// re-rendered page; not found becomes the 404 page; a write that could not get its turn (<see cref="BusyException"/>, or
/// the database answering busy) becomes the form again with "The service is busy, please try again", 503 and
/// <c>Retry-After</c>. So bad input, a lost race or a busy database gets a message or a 404, never a 500.
/// </summary>
public sealed class ValidationFilter : IAsyncPageFilter
{
    public const string FormPrefix = "Input";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var portalPage = context.HandlerInstance as IPageWithData;
        if (portalPage is not null && !await portalPage.LoadAsync(context.HttpContext.RequestAborted))
        {
            context.Result = portalPage.Missing();
            return;
        }

        // A value that could not even be bound (text in a number, an unknown option) is refused before any handler runs.
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method) && !context.ModelState.IsValid && context.HandlerInstance is PageModel invalid)
        {
            context.Result = invalid.Page();
            return;
        }

        var executed = await next();
        if (executed.Exception is null || executed.ExceptionHandled || executed.HandlerInstance is not PageModel page)
        {
            return;
        }

        switch (executed.Exception)
        {
            case var busy when busy is BusyException || Contention.IsBusy(busy):
                // The message goes where every page shows one (the layout's warning, announced as an alert), above the
                // page as it was posted: the form keeps what was typed, and nothing was written.
                page.TempData.Warning(BusyException.UserMessage);
                executed.Result = await RenderAgainAsync(page);
                if (executed.Result is PageResult busyPage)
                {
                    busyPage.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    page.Response.Headers.RetryAfter = BusyException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                break;
            case NotFoundException:
                executed.Result = portalPage?.Missing() ?? page.NotFound();
                break;
            case ConflictException conflict:
                page.ModelState.AddModelError(Key(FormOf(page, Refuse.MessageTypeOf(conflict)), conflict.Field), conflict.Message);
                executed.Result = await RenderAgainAsync(page);
                break;
            case ValidationException validation when WarningOf(executed) is { } warning:
                page.TempData.Warning(validation.Errors.First().ErrorMessage);
                executed.Result = page.RedirectToPage(warning.PageName);
                break;
            case ValidationException validation:
                var prefix = FormOf(page, Refuse.MessageTypeOf(validation));
                foreach (var error in validation.Errors)
                {
                    page.ModelState.AddModelError(Key(prefix, error.PropertyName), error.ErrorMessage);
                }

                executed.Result = await RenderAgainAsync(page);
                break;
            default:
                return;
        }

        executed.ExceptionHandled = true;
    }

    /// <summary>The display data is read again after a refusal, so the page shows what is stored now (or 404 if it is gone).</summary>
    private static async Task<IActionResult> RenderAgainAsync(PageModel page) =>
        page is IPageWithData portal && !await portal.LoadAsync(page.HttpContext.RequestAborted) ? portal.Missing() : page.Page();

    private static RefusalAsWarningAttribute? WarningOf(PageHandlerExecutedContext executed) =>
        executed.HandlerMethod?.MethodInfo.GetCustomAttribute<RefusalAsWarningAttribute>()
        ?? executed.HandlerInstance.GetType().GetCustomAttribute<RefusalAsWarningAttribute>();

    private static string Key(string prefix, string field) => string.IsNullOrEmpty(field) ? "" : $"{prefix}.{field}";

    /// <summary>The [BindProperty] bound to the refused message's type names its form; a page with one form calls it Input.</summary>
    private static string FormOf(PageModel page, Type? messageType) =>
        messageType is null
            ? FormPrefix
            : page.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => p.PropertyType == messageType && p.GetCustomAttribute<BindPropertyAttribute>() is not null)?.Name
              ?? FormPrefix;
}

/// <summary>
/// For a page whose posts are buttons on a list (resend an invitation, say): a refusal comes back as a warning on
/// <see cref="PageName"/> (by default the same page) instead of a re-rendered form.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RefusalAsWarningAttribute(string? pageName = null) : Attribute
{
    public string? PageName { get; } = pageName;
}
