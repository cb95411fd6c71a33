namespace Portal.Features.Shared;

/// <summary>A secret shown to its owner (<c>_SecretField.cshtml</c>): hidden until asked for, and copied without being selected.</summary>
public sealed record SecretFieldView(string Id, string Label, string Value);
