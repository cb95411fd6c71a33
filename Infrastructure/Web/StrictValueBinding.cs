using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Portal.Infrastructure.Web;

/// <summary>
/// How every form, query string and handler parameter binds amounts and choices, whatever the page. MVC's own binders
/// read a <c>decimal</c> with the number styles of a culture (so <c>1,5</c> became 15 and <c>1e2</c> became 100) and an
/// enum with <c>Enum.Parse</c> (so <c>Accept,Fraud</c> became the flags' sum, Fraud, and <c>99</c> an undefined value).
/// Here an amount is written one way only, <see cref="AmountFormat"/>, and a choice is one defined value, by name or by
/// number; anything else is a field error and the handler never runs.
/// </summary>
public sealed class StrictValueBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        var type = Nullable.GetUnderlyingType(context.Metadata.ModelType) ?? context.Metadata.ModelType;
        if (type == typeof(decimal))
        {
            return new AmountBinder();
        }

        return type.IsEnum ? new DefinedEnumBinder(type) : null;
    }
}

/// <summary>An amount: digits, optionally a point and more digits (<c>1234.50</c>), blanks around it ignored.</summary>
public sealed class AmountBinder : IModelBinder
{
    public const string AmountFormat = "Enter the amount in digits, with a point before the cents, like 1234.50.";
    public const string TooLarge = "The amount is too large.";
    public const string Required = "Enter an amount.";

    /// <summary>More integer digits than this is no amount anyone bills: refused before it reaches a validator or a column.</summary>
    public const int MaxIntegerDigits = 12;

    public Task BindModelAsync(ModelBindingContext context)
    {
        var posted = context.ValueProvider.GetValue(context.ModelName);
        if (posted == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        context.ModelState.SetModelValue(context.ModelName, posted);
        if (posted.Length > 1)
        {
            return Fail(context, AmountFormat);
        }

        var text = (posted.FirstValue ?? "").Trim();
        if (text.Length == 0)
        {
            if (context.ModelMetadata.IsReferenceOrNullableType)
            {
                context.Result = ModelBindingResult.Success(null);
                return Task.CompletedTask;
            }

            return Fail(context, Required);
        }

        if (Parse(text) is not { } error)
        {
            context.Result = ModelBindingResult.Success(decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        }

        return Fail(context, error);
    }

    /// <summary>Null when <paramref name="text"/> is an amount in the one format; otherwise why not.</summary>
    public static string? Parse(string text)
    {
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || (point >= 0 && (fraction.Length == 0 || !fraction.All(char.IsAsciiDigit))))
        {
            return AmountFormat;
        }

        // Eight decimals is already not money; the validators say how many cents an amount may have.
        return whole.TrimStart('0').Length > MaxIntegerDigits || fraction.Length > 8 ? TooLarge : null;
    }

    private static Task Fail(ModelBindingContext context, string message)
    {
        context.ModelState.TryAddModelError(context.ModelName, message);
        context.Result = ModelBindingResult.Failed();
        return Task.CompletedTask;
    }
}

/// <summary>One defined value of the enum, by its name (any case) or its number; never a combination or an undefined number.</summary>
public sealed class DefinedEnumBinder(Type enumType) : IModelBinder
{
    public const string ChooseOne = "Choose one of the options.";

    public Task BindModelAsync(ModelBindingContext context)
    {
        var posted = context.ValueProvider.GetValue(context.ModelName);
        if (posted == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        context.ModelState.SetModelValue(context.ModelName, posted);
        var text = posted.Length == 1 ? (posted.FirstValue ?? "").Trim() : null;
        if (text is { Length: 0 } && context.ModelMetadata.IsReferenceOrNullableType)
        {
            context.Result = ModelBindingResult.Success(null);
            return Task.CompletedTask;
        }

        if (text is not null && Parse(enumType, text) is { } value)
        {
            context.Result = ModelBindingResult.Success(value);
            return Task.CompletedTask;
        }

        context.ModelState.TryAddModelError(context.ModelName, ChooseOne);
        context.Result = ModelBindingResult.Failed();
        return Task.CompletedTask;
    }

    /// <summary>The enum value <paramref name="text"/> names, when it names exactly one defined value.</summary>
    public static object? Parse(Type enumType, string text)
    {
        if (text.Length is 0 or > 40)
        {
            return null;
        }

        if (text.All(char.IsAsciiDigit) || (text[0] == '-' && text.Length > 1 && text[1..].All(char.IsAsciiDigit)))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? Enum.GetValues(enumType).Cast<object>().FirstOrDefault(v => Convert.ToInt64(v, CultureInfo.InvariantCulture) == number)
                : null;
        }

        var name = Enum.GetNames(enumType).SingleOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return name is null ? null : Enum.Parse(enumType, name);
    }
}
