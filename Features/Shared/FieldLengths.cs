namespace Portal.Features.Shared;

/// <summary>Column sizes, shared by the EF model and the validators so that input is refused before it reaches the database.</summary>
public static class FieldLengths
{
    public const int Name = 100;
    public const int Company = 150;
    public const int Email = 254;
    public const int Address = 200;
    public const int Postcode = 20;
    public const int Country = 100;
    public const int Phone = 40;
    public const int PasswordMax = 128;
    public const int PasswordMin = 12;
    public const int TimeZone = 64;
}
