using Portal.Infrastructure.Data;

namespace Portal.UnitTests.Infrastructure.Data;

public sealed class SearchTermsTests
{
    [Fact]
    public void Words_are_terms_and_a_quoted_phrase_is_one_term_with_its_spaces()
    {
        var terms = SearchTerms.Parse("  invoice \"refunded in full\"  42 ");

        Assert.Equal(["invoice", "refunded in full", "42"], terms.All);
        Assert.Equal(["invoice", "refunded in full"], terms.Indexed);
        Assert.Equal(["42"], terms.Short);
    }

    [Fact]
    public void Every_term_of_the_full_text_query_is_one_quoted_string_so_nothing_typed_is_an_operator()
    {
        var terms = SearchTerms.Parse("NEAR(a b) -draft col:x* ^start a\"b\"c\"");

        Assert.Equal("\"NEAR(a\" AND \"-draft\" AND \"col:x*\" AND \"^start\"", terms.FullTextQuery);
        Assert.Contains("b)", terms.All);
    }

    [Fact]
    public void An_unmatched_quote_is_text()
    {
        Assert.Equal(["\"Big"], SearchTerms.Parse("\"Big").All);
        Assert.Equal(["two words", "\"left"], SearchTerms.Parse("\"two words\" \"left").All);
        Assert.Equal("\"\"\"Big\"", SearchTerms.Parse("\"\"\"Big").FullTextQuery);
    }

    [Fact]
    public void Quotes_inside_a_term_are_doubled_in_the_full_text_query()
    {
        Assert.Equal("\"say\"\"hi\"", SearchTerms.Parse("say\"hi").FullTextQuery);
    }

    [Fact]
    public void Control_characters_separate_terms_and_blank_input_has_none()
    {
        Assert.Equal(["one", "two"], SearchTerms.Parse("one\0two").All);
        Assert.True(SearchTerms.Parse(" \t ").IsEmpty);
        Assert.True(SearchTerms.Parse(null).IsEmpty);
        Assert.Null(SearchTerms.Parse("ab").FullTextQuery);
    }

    [Fact]
    public void Long_input_is_cut_and_the_number_of_terms_is_bounded()
    {
        var terms = SearchTerms.Parse(string.Join(' ', Enumerable.Range(100, 200)));

        Assert.Equal(SearchTerms.MaxTerms, terms.All.Count);
        Assert.Single(SearchTerms.Parse(new string('x', 5000)).All, t => t.Length == SearchTerms.MaxLength);
    }

    [Theory]
    [InlineData("user42@", "r42@")]
    [InlineData("\"invoice #1234\"", "#123")]
    [InlineData("\"permissions changed\"", "permissions changed")] // letters only: nothing rarer to look up
    [InlineData("ab-1", "ab-1")] // already as short as a narrowed term
    [InlineData("café-42", "café-42")] // beyond ASCII: folding could shorten a cut
    public void A_narrowed_term_is_the_four_characters_with_the_most_digits_and_punctuation(string text, string narrowed) =>
        Assert.Equal([narrowed], SearchTerms.Parse(text).Narrowed().All);
}
