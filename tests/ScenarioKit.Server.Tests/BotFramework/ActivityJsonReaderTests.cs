using System.Text;
using System.Text.Json;
using CsCheck;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.Server.Tests.BotFramework;

/// <summary>The hand-written activity reader must read what the serializer reads, or decline.</summary>
public sealed class ActivityJsonReaderTests
{
    // Activities have no value equality (lists, JSON elements): two reads agree when they write the same bytes.
    static void AssertReadsAsSerializer(string json, bool mustAccept = true)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var expected = BotFrameworkJson.Deserialize<Activity>(utf8)!;
        var accepted = ActivityJsonReader.TryRead(utf8, out var actual);
        if (mustAccept) Assert.True(accepted, json);
        if (accepted) Assert.Equal(Encoding.UTF8.GetString(BotFrameworkJson.SerializeToUtf8Bytes(expected)), Encoding.UTF8.GetString(BotFrameworkJson.SerializeToUtf8Bytes(actual!)));
    }

    [Theory]
    [InlineData("""{"type":"message","id":"c-1","timestamp":"2025-06-01T09:00:00.000Z","channelId":"bench","serviceUrl":"http://127.0.0.1:9/","from":{"id":"user-c","name":"Customer","role":"user"},"recipient":{"id":"bot","name":"Support Bot","role":"bot"},"conversation":{"id":"conv-c"},"locale":"en-US","text":"hello","deliveryMode":"expectReplies"}""")]
    [InlineData("""{"type":"message","text":"注文はどこ？ \u6CE8 <&>","from":{"id":"u","name":"山田"},"conversation":{"id":"c","isGroup":false,"tenantId":"t","extra":[1]},"channelData":{"clientActivityID":"abc","n":{"a":[1,2]}},"entities":[{"type":"ClientCapabilities"}],"value":{"n":1.50},"localTimestamp":"2026-11-25T19:00:00.5+09:00","localTimezone":"Asia/Tokyo","textFormat":"plain"}""")]
    [InlineData("""{"Type":"message","TEXT":"hi","From":{"ID":"u","Name":"n","custom":1},"Conversation":{"Id":"c"},"membersAdded":[{"id":"a"},{"id":"b","role":"user"}],"membersRemoved":null,"summary":"kept","rawTimestamp":"x"}""")]
    [InlineData("""{"type":"message","attachments":[{"contentType":"image/png","contentUrl":"u","extra":true}],"suggestedActions":{"actions":[{"type":"imBack","title":"はい","value":"はい"}]},"relatesTo":{"activityId":"9","conversation":{"id":"c"}},"speak":"s","inputHint":"acceptingInput","replyToId":"r","name":"n","code":"unknown","callerId":"x","attachmentLayout":"list"}""")]
    [InlineData("""  {"type":"event","name":"handoff.status","value":{"state":"completed"},"text":null,"from":null}  """)]
    public void Usual_activities_are_read_as_the_serializer_reads_them(string json) => AssertReadsAsSerializer(json);

    [Theory]
    [InlineData("""{"type":"message","\u0074ext":"escaped name"}""")]
    [InlineData("""{"type":"message","value":null}""")]
    [InlineData("""{"type":"message","from":{"id":"u","type":"misplaced"}}""")]
    [InlineData("""{"type":"message","x":1,"x":2}""")]
    [InlineData("""{"type":"message","text":5}""")]
    [InlineData("""{"type":"message","timestamp":"not a date"}""")]
    [InlineData("""{"type":"message"} trailing""")]
    [InlineData("""{"type":"message","naïve":1}""")]
    public void What_it_is_not_sure_of_is_declined(string json) => Assert.False(ActivityJsonReader.TryRead(Encoding.UTF8.GetBytes(json), out _));

    [Fact]
    public void The_protocols_own_values_are_read_as_its_constants_and_any_other_value_as_it_is()
    {
        // Issue 14 (docs/performance.md, "Session 9"): no new string per request for a type, a role or a delivery mode.
        var json = """
            {"type":"message","deliveryMode":"expectReplies","inputHint":"expectingInput","from":{"id":"u","role":"user"},
             "recipient":{"id":"b","role":"bot"},"conversation":{"id":"c","role":"\u0062ot"}}
            """;
        Assert.True(ActivityJsonReader.TryRead(Encoding.UTF8.GetBytes(json), out var read));
        Assert.Same(ActivityTypes.Message, read!.Type);
        Assert.Same(DeliveryModes.ExpectReplies, read.DeliveryMode);
        Assert.Same(InputHints.ExpectingInput, read.InputHint);
        Assert.Same(RoleTypes.User, read.From!.Role);
        Assert.Same(RoleTypes.Bot, read.Recipient!.Role);
        Assert.Same(RoleTypes.Bot, read.Conversation!.Role); // escaped, still the same value
        AssertReadsAsSerializer(json);

        var other = """{"type":"Message","deliveryMode":"expectreplies","from":{"id":"u","role":"customer"}}""";
        Assert.True(ActivityJsonReader.TryRead(Encoding.UTF8.GetBytes(other), out var otherRead));
        Assert.Equal(("Message", "expectreplies", "customer"), (otherRead!.Type, otherRead.DeliveryMode, otherRead.From!.Role));
        AssertReadsAsSerializer(other);
    }

    [Fact]
    public void Generated_activities_in_any_name_casing_are_read_as_the_serializer_reads_them()
    {
        var text = Gen.OneOf(Gen.String!, Gen.OneOf<string?>(null, "こんにちは", "<a href='x'>&amp;</a>", "😀 絵文字", "\u0000\t\"\\"));
        var account = Gen.Select(text, text, (id, role) => new ChannelAccount { Id = id, Role = role });
        var activity = Gen.Select(text, text, account.Null(), Gen.Select(Gen.Bool, Gen.DateTimeOffset, (some, t) => some ? t : (DateTimeOffset?)null),
            (type, t, from, time) => new Activity { Type = type ?? "message", Text = t, From = from, Timestamp = time, Conversation = new ConversationAccount { Id = t } });
        Gen.Select(activity, Gen.Int[0, 3]).Sample((a, casing) =>
        {
            var json = Encoding.UTF8.GetString(BotFrameworkJson.SerializeToUtf8Bytes(a));
            // Re-case the property names only (the values are left alone).
            using var document = JsonDocument.Parse(json);
            AssertReadsAsSerializer(Recase(document.RootElement, casing));
        }, iter: 1000);
    }

    static string Recase(JsonElement element, int casing)
    {
        if (element.ValueKind != JsonValueKind.Object) return element.GetRawText();
        var parts = element.EnumerateObject().Select(p =>
        {
            var name = casing switch { 1 => p.Name.ToUpperInvariant(), 2 => char.ToUpperInvariant(p.Name[0]) + p.Name[1..], _ => p.Name };
            return JsonSerializer.Serialize(name) + ":" + Recase(p.Value, casing);
        });
        return "{" + string.Join(",", parts) + "}";
    }
}
