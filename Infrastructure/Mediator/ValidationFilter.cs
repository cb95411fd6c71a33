using FluentValidation;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Infrastructure.Mediator;

/// <summary>
/// Turns a <see cref="ValidationException"/> from a page handler into ModelState errors next to their fields (the form
/// is bound as <c>Input</c>) and re-renders the page, so bad input gets a message and a 200, never a 500.
/// </summary>
public sealed class ValidationFilter : IAsyncPageFilter
{
    public const string FormPrefix = "Input";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // A value that could not even be bound (text in a number, an unknown option) is refused before any handler runs.
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method) && !context.ModelState.IsValid && context.HandlerInstance is PageModel invalid)
        {
            await ReloadAsync(invalid);
            context.Result = invalid.Page();
            return;
        }

        var executed = await next();
        if (executed.Exception is not ValidationException validation || executed.HandlerInstance is not PageModel page)
        {
            return;
        }

        foreach (var error in validation.Errors)
        {
            var key = string.IsNullOrEmpty(error.PropertyName) ? "" : $"{FormPrefix}.{error.PropertyName}";
            page.ModelState.AddModelError(key, error.ErrorMessage);
        }

        await ReloadAsync(page);
        executed.ExceptionHandled = true;
        executed.Result = page.Page();
    }

    private static async Task ReloadAsync(PageModel page)
    {
        if (page is IReloadOnInvalid reload)
        {
            await reload.ReloadAsync();
        }
    }
}

/// <summary>A page that must reload its display data (lists, names) before it is shown again with errors.</summary>
public interface IReloadOnInvalid
{
    Task ReloadAsync();
}
