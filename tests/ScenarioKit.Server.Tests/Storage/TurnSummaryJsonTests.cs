using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Storage;

/// <summary>The turn log's JSON is written by hand; stored rows must keep exactly the bytes the serializer wrote.</summary>
public sealed class TurnSummaryJsonTests
{
    static readonly JsonSerializerOptions Metadata = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    static string ByMetadata(TurnSummary summary) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(summary, Metadata));

    static string Generated(TurnSummary summary) => Encoding.UTF8.GetString(summary.ToUtf8Json());

    [Fact]
    public void Generated_summaries_are_written_as_the_metadata_serializer_writes_them()
    {
        var text = Gen.OneOf(Gen.String!, Gen.OneOf<string?>(null, "", "注文した商品が届かない", "<b>&'\"\\</b>", "😀 絵文字", "\u0000\t\u001f", "ｶﾀｶﾅ"));
        var list = text.Select(t => t ?? "").Array[0, 3].Select(a => a.Length == 0 ? null : (IReadOnlyList<string>?)a);
        var summary = Gen.Select(
            Gen.Select(text, text, text, text, (input, t, name, detail) => (input: input ?? "message", t, name, detail)),
            Gen.Select(text, Gen.Select(Gen.Bool, Gen.Double, (some, d) => some ? d : (double?)null), Gen.Bool, text, (intent, score, fallback, stage) => (intent, score, fallback, stage)),
            Gen.Select(list, list, list, Gen.Select(Gen.Bool, Gen.Bool, (some, b) => some ? b : (bool?)null), (steps, flows, replies, within) => (steps, flows, replies, within)),
            (a, b, c) => new TurnSummary
            {
                Input = a.input, Text = a.t, Name = a.name, Detail = a.detail, Intent = b.intent, Score = b.score, Fallback = b.fallback,
                Stage = b.stage, Flow = b.intent, WaitingStep = a.detail, Steps = c.steps, FlowsStarted = c.flows, Proactive = c.steps,
                HandoffRule = a.name, HandoffQueue = b.stage, HandoffWithinHours = c.within, Unattended = b.fallback, WaitingNotice = c.within == true,
                TimeoutPath = c.within == false, Errors = c.flows, Replies = c.replies,
            });
        summary.Sample(s => Assert.Equal(ByMetadata(s), Generated(s)), iter: 2000);
    }

    [Fact]
    public void Every_member_is_written()
    {
        // A member added to TurnSummary but not to its writer would be lost from the turn log.
        var summary = new TurnSummary { Input = "message" };
        foreach (var property in typeof(TurnSummary).GetProperties())
        {
            object value = property.PropertyType switch
            {
                var t when t == typeof(string) => "値",
                var t when t == typeof(bool) || t == typeof(bool?) => true,
                var t when t == typeof(double?) => 0.5,
                var t when t == typeof(IReadOnlyList<string>) => new[] { "一", "two" },
                var t => throw new InvalidOperationException($"TurnSummary.{property.Name} is a {t}: teach this test (and the writer) about it."),
            };
            property.SetValue(summary, value);
        }
        Assert.Equal(ByMetadata(summary), Generated(summary));
    }

    [Fact]
    public void Japanese_stays_unescaped_and_unset_members_stay_out()
    {
        var json = Generated(new TurnSummary { Input = "message", Text = "ご注文番号は１２３４５６７８です", Replies = ["承知しました。"] });
        Assert.Equal("""{"input":"message","text":"ご注文番号は１２３４５６７８です","replies":["承知しました。"]}""", json);
    }
}
