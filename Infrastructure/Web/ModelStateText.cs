using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Portal.Infrastructure.Web;

public static class ModelStateText
{
    /// <summary>The first error of a field, for the message shown beside its input.</summary>
    public static string? ErrorFor(this ModelStateDictionary modelState, string key) =>
        modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
