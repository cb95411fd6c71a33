using System.Text.RegularExpressions;

namespace Portal.Tests.Security;

/// <summary>
/// The one place that knows which object each route parameter names, for the route matrix and the hostile input
/// corpus alike. A parameter it does not know fails the test: a new route teaches it here.
/// </summary>
public static partial class RouteValues
{
    /// <summary>Support objects of account A, when a test made them; an id of 0 is one that does not exist.</summary>
    public sealed record SupportIds(int TicketId = 0, int ContactId = 0, int DepartmentId = 0);

    public static string Fill(string template, int clientId, int userId, int invitationId, SupportIds? support = null) =>
        Parameter().Replace(template, match => ValueOf(match.Groups["name"].Value, template, clientId, userId, invitationId, support))
            .Replace("//", "/").TrimEnd('/') is { Length: > 0 } path ? path : "/";

    /// <summary>Each parameter of the route with the value that names the given objects, as a form or query would send it.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(string template, int clientId, int userId, int invitationId, SupportIds? support = null) =>
        Parameter().Matches(template).Select(m => m.Groups["name"].Value).Distinct()
            .Select(name => new KeyValuePair<string, string>(name, ValueOf(name, template, clientId, userId, invitationId, support))).ToList();

    private static string ValueOf(string name, string template, int clientId, int userId, int invitationId, SupportIds? support) =>
        (name, template) switch
        {
            ("userId", _) => userId.ToString(),
            ("id", _) when template.StartsWith("/account/users/invitations/", StringComparison.Ordinal) => invitationId.ToString(),
            ("id", _) when template.StartsWith("/admin/clients/", StringComparison.Ordinal) => clientId.ToString(),
            ("id", _) when template.StartsWith("/admin/users/", StringComparison.Ordinal) => userId.ToString(),
            ("invitationId", _) => invitationId.ToString(),
            ("id", _) when template.StartsWith("/tickets/", StringComparison.Ordinal) || template.StartsWith("/admin/tickets/", StringComparison.Ordinal) => (support?.TicketId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/account/contacts/", StringComparison.Ordinal) => (support?.ContactId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/admin/support/departments/", StringComparison.Ordinal) => (support?.DepartmentId ?? 0).ToString(),
            ("path", _) when template.StartsWith("/admin/jobs", StringComparison.Ordinal) => "",
            ("path", "/{*path}") => "no-such-page",
            ("code", _) when template.StartsWith("/error", StringComparison.Ordinal) => "404",
            _ => throw new InvalidOperationException($"The tests cannot fill the parameter '{name}' of {template}: teach RouteValues.Fill which object it names."),
        };

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
