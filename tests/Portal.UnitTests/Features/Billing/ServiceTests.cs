using static Portal.UnitTests.Features.Billing.BillingExamples;
using Portal.Features.Billing;

namespace Portal.UnitTests.Features.Billing;

public sealed class ServiceTests
{
    [Fact]
    public void A_cancellation_request_records_kind_reason_user_and_time_once()
    {
        var service = Order().Services.Single();

        service.RequestCancellation(CancellationKind.EndOfPeriod, "Moving elsewhere", userId: 7, Now);

        Assert.Equal((CancellationKind.EndOfPeriod, "Moving elsewhere", (int?)7, (DateTimeOffset?)Now),
            (service.CancellationKind!.Value, service.CancellationReason, service.CancellationRequestedByUserId, service.CancellationRequestedAt));
        Assert.NotNull(service.CannotRequestCancellation());
        Assert.Throws<InvalidOperationException>(() => service.RequestCancellation(CancellationKind.Immediate, "again", 7, Now));
    }

    [Fact]
    public void A_cancelled_service_cannot_be_asked_to_cancel()
    {
        var order = Order();
        order.Cancel(Now);

        Assert.NotNull(order.Services.Single().CannotRequestCancellation());
    }
}

public sealed class UserVerificationTests
{
    [Fact]
    public void Marking_a_user_verified_records_the_admin_and_the_time_and_stays_the_first_verification()
    {
        var user = User();

        Assert.True(user.MarkIdentityVerified(adminId: 2, Now));
        Assert.False(user.MarkIdentityVerified(adminId: 3, Now.AddDays(1)));

        Assert.True(user.IsIdentityVerified);
        Assert.Equal((Now, (int?)2), (user.IdentityVerifiedAt!.Value, user.IdentityVerifiedByAdminId));
    }
}

public sealed class MoneyTests
{
    [Theory]
    [InlineData(0, "0.00 USD")]
    [InlineData(1234.5, "1,234.50 USD")]
    [InlineData(-3.25, "-3.25 USD")]
    public void Amounts_show_two_decimals_and_the_currency(decimal amount, string shown) =>
        Assert.Equal(shown, Money.Format(amount, "USD"));

    [Fact]
    public void Money_is_stored_as_whole_cents_and_read_back_exactly()
    {
        var converter = new MinorUnitsConverter();

        Assert.Equal(123456L, converter.ConvertToProvider(1234.56m));
        Assert.Equal(1234.56m, converter.ConvertFromProvider(123456L));
    }
}
