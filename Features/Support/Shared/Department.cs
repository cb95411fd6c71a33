namespace Portal.Features.Support;

/// <summary>A support department: where tickets go, the address replies come from and inbound mail is sent to.</summary>
public sealed class Department
{
    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Email { get; private set; } = "";

    /// <summary>Hidden departments take mail and admin tickets but are not offered to clients.</summary>
    public bool IsHidden { get; private set; }

    private Department()
    {
    }

    public static Department Create(string name, string email, bool hidden)
    {
        var department = new Department();
        department.Update(name, email, hidden);
        return department;
    }

    public void Update(string name, string email, bool hidden)
    {
        Name = name.Trim();
        Email = email.Trim().ToLowerInvariant();
        IsHidden = hidden;
    }
}
