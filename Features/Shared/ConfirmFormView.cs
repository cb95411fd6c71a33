namespace Portal.Features.Shared;

/// <summary>
/// What _ConfirmForm.cshtml shows at the end of a confirmation page's form: an optional "tick to confirm" checkbox
/// bound to <paramref name="TickName"/> (from <c>Html.NameFor</c>, so a renamed property breaks the build), the submit
/// button and the way back.
/// </summary>
public sealed record ConfirmFormView(string Submit, string CancelUrl, string? TickName = null, string? TickLabel = null)
{
    public string SubmitClass { get; init; } = "btn-danger";

    public string CancelText { get; init; } = "Cancel";
}
