using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Portal.Infrastructure.Web;

/// <summary>
/// A value named like a parameter of the page's route (<c>id</c>, <c>userId</c>, <c>invitationId</c>) is read from the
/// route only, on every page: otherwise MVC reads a form field of that name first, and
/// <c>POST /account/users/invitations/4/cancel</c> with <c>id=5</c> would cancel invitation 5.
/// </summary>
public sealed class RouteIdsFromRouteOnly : IPageApplicationModelConvention
{
    public void Apply(PageApplicationModel model)
    {
        var template = model.ActionDescriptor.AttributeRouteInfo?.Template;
        if (string.IsNullOrEmpty(template))
        {
            return;
        }

        var names = RoutePatternFactory.Parse(template).Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (names.Count == 0)
        {
            return;
        }

        foreach (var parameter in model.HandlerMethods.SelectMany(h => h.Parameters))
        {
            if (names.Contains(parameter.BindingInfo?.BinderModelName ?? parameter.ParameterName))
            {
                parameter.BindingInfo ??= new BindingInfo();
                parameter.BindingInfo.BindingSource = BindingSource.Path;
            }
        }

        foreach (var property in model.HandlerProperties)
        {
            if (property.BindingInfo is { } binding && names.Contains(binding.BinderModelName ?? property.PropertyName))
            {
                binding.BindingSource = BindingSource.Path;
            }
        }
    }
}
