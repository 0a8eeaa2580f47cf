using System.Collections.Immutable;
using ScenarioKit.Insight.HotSpots;
using ScenarioKit.Insight.Privacy;
using ScenarioKit.Insight.Rendering;
using ScenarioKit.Model;

namespace ScenarioKit.Insight.Tests;

public sealed class PrivacyTests
{
    [Theory]
    [InlineData("mail me at jane.doe@example.com please", "jane.doe@example.com")]
    [InlineData("連絡先は taro＠example.jp です", "taro＠example.jp")]
    [InlineData("電話は 090-1234-5678 まで", "090-1234-5678")]
    [InlineData("電話は０９０１２３４５６７８まで", "０９０１２３４５６７８")]
    [InlineData("call +81 3 1234 5678", "+81 3 1234 5678")]
    [InlineData("call (555) 123-4567", "555) 123-4567")]
    public void Contact_details_are_masked_in_free_text(string text, string secret)
    {
        var masked = ContactMasker.Mask(text);
        Assert.DoesNotContain(secret, masked);
        Assert.Matches(@"\[(email|phone)\]", masked);
    }

    [Fact]
    public void Order_numbers_and_short_numbers_stay()
    {
        Assert.Equal("order 12345678 and 3 items", ContactMasker.Mask("order 12345678 and 3 items"));
    }

    [Fact]
    public void An_answer_to_a_pii_variable_is_hidden_whole_and_masking_off_shows_it()
    {
        var phone = new VariableDef("contact.phone", VariableType.String, [], null, VariableScope.Conversation, null, SourceSpan.None);
        var masking = new TextMasking(true, v => v.Name == "contact.phone");
        Assert.Equal(TextMasking.Hidden, masking.Apply("山田 太郎", phone));
        Assert.Equal("山田 太郎", masking.Apply("山田 太郎", null));
        Assert.Equal("山田 太郎", TextMasking.Off.Apply("山田 太郎", phone));
    }

    [Fact]
    public void Similar_messages_form_one_group_per_step_in_japanese_and_english()
    {
        var groups = new UtteranceGroups();
        foreach (var text in new[] { "配送先を変更したい", "配送先を変更したいです", "I want a pony", "i want a pony!!", "配送先を変更したい" })
            groups.Add(text, "");
        groups.Add("配送先を変更したい", "order/0");
        Assert.Equal([("配送先を変更したい", "", 3), ("I want a pony", "", 2), ("配送先を変更したい", "order/0", 1)],
            groups.Groups.Select(g => (g.Text, g.Step, g.Count)));
        Assert.Equal(6, groups.Total);
    }

    [Fact]
    public void Suggestions_are_yaml_accuracy_lines_with_the_closest_intent_or_none()
    {
        var scenario = new ScenarioReport("shop", "ja-JP", ["1.0.0"], 0, OutcomeCounts.Empty, OutcomeCounts.Empty, [], [], [], [], [],
            [new HotSpotRow("配送先を \"変更\"", "", 4, [], "change_address", 0.42), new HotSpotRow("ぽにー", "", 1, [], "greeting", 0.05)], []);
        var yaml = AccuracySuggestions.Write(scenario);
        Assert.Contains("- { text: \"配送先を \\\"変更\\\"\", intent: change_address }  # 4×, closest: change_address 0.42", yaml);
        Assert.Contains("- { text: \"ぽにー\", intent: none }", yaml);
    }

    [Fact]
    public void Csv_cells_that_look_like_formulas_stay_text()
    {
        var scenario = new ScenarioReport("shop", "en-US", ["1.0.0"], 0, OutcomeCounts.Empty, OutcomeCounts.Empty, [], [], [], [], [],
            [new HotSpotRow("=HYPERLINK(\"x\")", "", 1, ImmutableArray<string>.Empty, null, null)], []);
        var report = new InsightReport(DateTimeOffset.UnixEpoch, new ReportFilter(), new ReportSettings(30, 0.85, 30, true), [scenario]);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", CsvReportWriter.Write(report)["hotspots.csv"]);
    }
}
