using FluentValidation;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>The input rules every billing form shares: amounts in whole cents within the limit, quantities within the order limit.</summary>
public static class BillingRules
{
    public static IRuleBuilderOptions<T, decimal> Amount<T>(this IRuleBuilder<T, decimal> rule, string label, bool allowZero = true) =>
        rule.Must(a => allowZero ? a >= 0 : a > 0).WithMessage(allowZero ? $"{label} cannot be negative." : $"{label} must be more than zero.")
            .LessThanOrEqualTo(BillingLengths.MaxAmount).WithMessage($"{label} must be at most {BillingLengths.MaxAmount:#,0}.")
            .Must(BillingLengths.HasAtMostTwoDecimals).WithMessage($"{label} can have at most two decimals.");
}
