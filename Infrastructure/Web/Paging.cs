using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Web;

/// <summary>One page of a long list, with what the pager needs to link to the others.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (int)Math.Ceiling(Total / (double)PageSize));
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < PageCount;
}

public static class Paging
{
    public const int DefaultPageSize = 25;

    public static int Clamp(int page) => page < 1 ? 1 : Math.Min(page, 100_000);

    public static async Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> query, int page, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        page = Clamp(page);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<T>(items, page, pageSize, total);
    }
}
