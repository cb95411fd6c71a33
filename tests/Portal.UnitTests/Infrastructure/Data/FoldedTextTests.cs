using Portal.Infrastructure.Data;

namespace Portal.UnitTests.Infrastructure.Data;

public sealed class FoldedTextTests
{
    [Theory]
    [InlineData("Café CRÈME", "cafe creme")]
    [InlineData("ŁÓDŹ Ærø Straße", "łodz ærø straße")] // letters without a decomposition keep their shape, as in the index
    [InlineData("Ωmega ПРИВЕТ", "ωmega привет")]
    [InlineData("Cafe\u0301 written decomposed", "cafe written decomposed")]
    [InlineData("ÀÿŸžſ", "ayyzſ")] // both ends of the table
    [InlineData("Plain ASCII, 50%_off", "plain ascii, 50%_off")]
    public void Folds_case_and_latin_accents_the_way_the_full_text_index_does(string text, string folded) =>
        Assert.Equal(folded, FoldedText.Fold(text));

    [Fact]
    public void Contains_compares_the_folded_text_with_a_folded_term()
    {
        Assert.True(FoldedText.Contains("Profile of Café Crème updated", FoldedText.Fold("CAFÉ crème")));
        Assert.False(FoldedText.Contains("Profile of Café Crème updated", FoldedText.Fold("caffè")));
    }
}
