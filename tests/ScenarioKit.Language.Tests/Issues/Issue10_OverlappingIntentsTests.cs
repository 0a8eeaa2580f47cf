using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests.Issues;

/// <summary>
/// Issue 10 item 4: a booking pattern that catches 「予約をキャンセルしたい」, an example of the cancel intent,
/// passed silently. SK3030 points at the pattern or keyword and at the example, decided as the engine
/// recognises (NFKC, case folding, patterns in file order before keywords).
/// </summary>
public class Issue10_OverlappingIntentsTests
{
    const string Header = "scenarioKit: 1\nid: demo\nversion: 1.0.0\nlocale: ja-JP\nintents:\n";

    static IEnumerable<Diagnostic> Overlaps(string intents) =>
        ScenarioCompiler.CompileText(Header + intents, "s.yaml", TestPaths.English).Diagnostics.Where(d => d.Id == DiagnosticCatalog.PatternCatchesExample.Id);

    [Fact]
    public void A_pattern_catching_another_intents_example_is_reported_at_both_places()
    {
        var d = Assert.Single(Overlaps("""
              booking: { examples: [予約したい, 席を取りたい, 来週の予約], patterns: ['予約'] }
              cancel: { examples: [予約をキャンセルしたい, キャンセルで, 取り消したい], keywords: [キャンセル] }
            """));
        Assert.Equal((6, 59), (d.Span.Line, d.Span.Column));
        var related = Assert.Single(d.Related);
        Assert.Equal((7, 24), (related.Line, related.Column));
    }

    [Fact]
    public void A_keyword_matches_full_width_examples_after_folding_as_at_runtime()
    {
        var d = Assert.Single(Overlaps("""
              hours: { examples: [営業時間, 何時まで, いつ開く], keywords: [open] }
              shop: { examples: [ＯＰＥＮの店舗, 店舗一覧, 近くの店] }
            """));
        Assert.Contains("keyword 'open' of intent 'hours' matches 'ＯＰＥＮの店舗'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_example_its_own_intent_claims_first_is_not_reported()
    {
        Assert.Empty(Overlaps("""
              cancel: { examples: [予約をキャンセルしたい, キャンセルで, 取り消したい], patterns: ['キャンセル'] }
              booking: { examples: [予約したい, 席を取りたい, 来週の予約], patterns: ['予約'] }
            """));
    }
}
