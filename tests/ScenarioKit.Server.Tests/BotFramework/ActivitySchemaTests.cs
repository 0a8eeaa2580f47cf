using System.Text;
using System.Text.Json;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.Server.Tests.BotFramework;

public sealed class ActivitySchemaTests
{
    [Fact]
    public void Unknown_fields_survive_a_round_trip_on_every_level()
    {
        const string json = """
            {"type":"message","id":"1","rawTimestamp":"x","text":"こんにちは",
             "from":{"id":"u","role":"user","extra":1},"conversation":{"id":"c","tenantId":"t","flag":true},
             "recipient":{"id":"b"},"channelData":{"clientActivityID":"abc","nested":{"a":[1,2]}},
             "value":{"n":1.50},"entities":[{"type":"ClientCapabilities","requiresBotState":true}],
             "attachments":[{"contentType":"application/vnd.microsoft.card.hero","content":{"title":"t"},"extraA":2}],
             "suggestedActions":{"actions":[{"type":"imBack","title":"Yes","value":"Yes","custom":"c"}],"more":0},
             "relatesTo":{"activityId":"9","conversation":{"id":"c"},"channelId":"x","other":"o"},
             "speak":"s","summary":"kept","textHighlights":[{"text":"a","occurrence":1}]}
            """;
        var activity = BotFrameworkJson.Deserialize<Activity>(Encoding.UTF8.GetBytes(json))!;
        var written = JsonDocument.Parse(BotFrameworkJson.Serialize(activity)).RootElement;
        var original = JsonDocument.Parse(json).RootElement;
        Assert.True(JsonElement.DeepEquals(original, written), BotFrameworkJson.Serialize(activity));
    }

    [Fact]
    public void Writing_uses_camelCase_leaves_out_nulls_and_stamps_timestamps_in_UTC_with_Z()
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Timestamp = DateTimeOffset.Parse("2026-11-25T19:00:00+09:00", System.Globalization.CultureInfo.InvariantCulture),
            LocalTimestamp = DateTimeOffset.Parse("2026-11-25T19:00:00+09:00", System.Globalization.CultureInfo.InvariantCulture),
            InputHint = InputHints.ExpectingInput,
            ReplyToId = "x|0000001",
            Text = "ご注文番号を教えてください。",
        };
        var json = BotFrameworkJson.Serialize(activity);
        Assert.Equal("""{"type":"message","timestamp":"2026-11-25T10:00:00.000Z","localTimestamp":"2026-11-25T19:00:00+09:00","text":"ご注文番号を教えてください。","inputHint":"expectingInput","replyToId":"x|0000001"}""", json);
    }

    [Fact]
    public void Reading_is_case_insensitive()
    {
        var activity = BotFrameworkJson.Deserialize<Activity>("""{"Type":"message","TEXT":"hi","From":{"ID":"u"}}"""u8)!;
        Assert.Equal("message", activity.Type);
        Assert.Equal("hi", activity.Text);
        Assert.Equal("u", activity.From!.Id);
    }
}
