using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Portal.Infrastructure.Web;

/// <summary>
/// A page runs only with the handler that loads it: a method the page has no handler for (a POST to a page that
/// only shows, TRACE, PUT ...) is a 405 with an Allow header (OPTIONS gets the Allow header and a 204), an unknown named handler a 404, and a value outside the
/// form that cannot be bound (a route or query value, <c>id=abc</c>) a 400, instead of the page rendered without
/// its data.
/// </summary>
public sealed class HandledRequests : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var method = http.Request.Method;
        var showing = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

        // The error pages answer whatever method the failed request had.
        if (http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return next();
        }

        if (context.HandlerMethod is null && !showing)
        {
            var handled = context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).ToHashSet();
            if (handled.Contains(method.ToUpperInvariant()))
            {
                context.Result = new NotFoundResult();
                return Task.CompletedTask;
            }

            http.Response.Headers.Allow = string.Join(", ", new[] { "GET", "HEAD" }.Concat(handled.Where(m => m is not ("GET" or "HEAD")).Order()));

            // OPTIONS asks exactly that question: the answer is the Allow header.
            context.Result = HttpMethods.IsOptions(method) ? new NoContentResult() : new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return Task.CompletedTask;
        }

        // Form fields (Input.Email ...) that do not bind get a message beside the field; anything else was not typed by a user.
        if (!showing && context.ModelState.Any(entry => entry.Value!.Errors.Count > 0 && !entry.Key.Contains('.')))
        {
            context.Result = new BadRequestResult();
            return Task.CompletedTask;
        }

        return next();
    }
}
