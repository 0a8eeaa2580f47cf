using ScenarioKit.Storage;

namespace ScenarioKit.Insight.Tests;

public sealed class TurnSummaryRoundTripTests
{
    [Fact]
    public void A_turn_summary_reads_back_as_written_and_leaves_unset_members_out()
    {
        var summary = new TurnSummary { Input = "message", Text = "注文した商品が届かない", Intent = "order_status", Score = 0.82, FlowsStarted = ["order_status"] };
        var json = summary.ToUtf8Json();
        var text = System.Text.Encoding.UTF8.GetString(json);
        Assert.Contains("注文した商品が届かない", text);
        Assert.DoesNotContain("handoffRule", text);
        var back = TurnSummary.FromUtf8Json(json);
        Assert.Equal(summary.Text, back.Text);
        Assert.Equal(summary.Intent, back.Intent);
        Assert.Equal(["order_status"], back.FlowsStarted);
    }
}
