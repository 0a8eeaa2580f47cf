using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.Server.Tests.BotFramework;

/// <summary>The hand-written activity writer must give exactly the serializer's bytes: clients and the log see one format.</summary>
public sealed class ActivityJsonWriterTests
{
    static string Serializer(Activity a) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(a, BotFrameworkJson.Options));

    static string Hand(Activity a) => Encoding.UTF8.GetString(ActivityJsonWriter.ToUtf8Bytes(a));

    [Fact]
    public void Every_field_and_unknown_fields_on_every_level_are_written_as_the_serializer_writes_them()
    {
        const string json = """
            {"type":"message","id":"1","rawTimestamp":"x","text":"こんにちは <b>&'\"\\ 😀","timestamp":"2026-11-25T19:00:00.1234567+09:00",
             "localTimestamp":"2026-11-25T19:00:00.5+09:00","localTimezone":"Asia/Tokyo","callerId":"c","serviceUrl":"https://x/","channelId":"webchat",
             "from":{"id":"u","name":"山田","aadObjectId":"a","role":"user","extra":1},"conversation":{"id":"c","name":"n","isGroup":false,"conversationType":"p","tenantId":"t","aadObjectId":"o","role":"r","flag":true},
             "recipient":{"id":"b"},"textFormat":"plain","attachmentLayout":"list","membersAdded":[{"id":"m1"},{"id":"m2","name":"二"}],"membersRemoved":[],
             "locale":"ja-JP","speak":"s","inputHint":"expectingInput","channelData":{"clientActivityID":"abc","nested":{"a":[1,2,"の"]}},
             "replyToId":"r|0000001","value":{"n":1.50,"s":"値"},"name":"handoff.initiate","code":"unknown","deliveryMode":"expectReplies",
             "entities":[{"type":"ClientCapabilities","requiresBotState":true}],
             "attachments":[{"contentType":"application/json","contentUrl":"u","content":{"activities":[{"text":"い"}]},"name":"Transcript","thumbnailUrl":"t","extraA":2}],
             "suggestedActions":{"to":["u"],"actions":[{"type":"imBack","title":"はい","image":"i","imageAltText":"alt","text":"t","displayText":"d","value":"はい","channelData":{"k":1},"custom":"c"}],"more":0},
             "relatesTo":{"activityId":"9","user":{"id":"u"},"bot":{"id":"b"},"conversation":{"id":"c"},"channelId":"x","locale":"en","serviceUrl":"s","other":"o"},
             "summary":"kept","textHighlights":[{"text":"a","occurrence":1}]}
            """;
        var activity = BotFrameworkJson.Deserialize<Activity>(Encoding.UTF8.GetBytes(json))!;
        Assert.Equal(Serializer(activity), Hand(activity));
        Assert.Contains("こんにちは", Hand(activity), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_activity_and_a_reply_as_the_server_builds_it()
    {
        Assert.Equal(Serializer(new Activity()), Hand(new Activity()));
        var reply = new Activity
        {
            Type = ActivityTypes.Message,
            Id = "conv|0000002",
            Timestamp = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(9)),
            From = new ChannelAccount { Id = "bot", Name = "Support Bot", Role = RoleTypes.Bot },
            Recipient = new ChannelAccount { Id = "user", Role = RoleTypes.User },
            Conversation = new ConversationAccount { Id = "conv" },
            Text = "ご注文番号を教えてください。",
            InputHint = InputHints.ExpectingInput,
            SuggestedActions = new SuggestedActions { Actions = [new CardAction { Type = ActionTypes.ImBack, Title = "はい", Value = JsonSerializer.SerializeToElement("はい") }] },
        };
        Assert.Equal(Serializer(reply), Hand(reply));
    }

    [Fact]
    public void Content_given_as_written_JSON_is_copied_as_it_is_and_reads_and_serializes_as_if_parsed()
    {
        // The handoff's transcript (docs/performance.md, "Session 8"): logged activities joined, never parsed on the way out.
        var logged = Hand(new Activity { Type = ActivityTypes.Message, Text = "注文番号は「わからない」です <&> \"引用\" \\ 😀" });
        var content = Encoding.UTF8.GetBytes($$"""{"activities":[{{logged}},{{logged}}]}""");
        var raw = new Attachment { ContentType = "application/json", Name = "Transcript", ContentJsonParts = [content] };
        var parsed = new Attachment { ContentType = "application/json", Name = "Transcript", Content = JsonElement.Parse(content) };
        var activity = new Activity { Type = ActivityTypes.Event, Name = "handoff.initiate", Attachments = [raw] };

        Assert.Equal(Hand(activity with { Attachments = [parsed] }), Hand(activity));
        Assert.Equal(Serializer(activity with { Attachments = [parsed] }), Serializer(activity));
        Assert.Equal(Serializer(activity), Hand(activity));
        Assert.Equal(Encoding.UTF8.GetString(content), raw.Content!.Value.GetRawText());
        // In parts (the transcript's brackets, activities and commas, Session 9): the same bytes, read and written.
        var loggedBytes = Encoding.UTF8.GetBytes(logged);
        ReadOnlyMemory<byte>[] parts = ["{\"activities\":["u8.ToArray(), loggedBytes, ","u8.ToArray(), loggedBytes, "]}"u8.ToArray()];
        var parted = raw with { ContentJsonParts = parts };
        Assert.Equal(Hand(activity), Hand(activity with { Attachments = [parted] }));
        Assert.Equal(Serializer(activity), Serializer(activity with { Attachments = [parted] }));
        Assert.Equal(Encoding.UTF8.GetString(content), parted.Content!.Value.GetRawText());
        // Content given later wins over the written JSON, for the writer too.
        var replaced = raw with { Content = JsonElement.Parse("{\"activities\":[]}") };
        Assert.Equal("{\"activities\":[]}", replaced.Content!.Value.GetRawText());
        Assert.Contains("\"content\":{\"activities\":[]}", Hand(activity with { Attachments = [replaced] }), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_activities_are_written_as_the_serializer_writes_them()
    {
        var text = Gen.OneOf(Gen.String!, Gen.OneOf<string?>(null, "こんにちは", "<a href='x'>&amp;</a>", "😀 絵文字", "\u0000\t\"\\", "ｶﾀｶﾅ"));
        var account = Gen.Select(text, text, text, (id, name, role) => new ChannelAccount { Id = id, Name = name, Role = role });
        var element = Gen.OneOf<string?>(null, "1", "\"値\"", "{\"a\":[true,null,1.5e3]}", "[]").Select(j => j is null ? (JsonElement?)null : JsonElement.Parse(j));
        var time = Gen.Select(Gen.Bool, Gen.DateTimeOffset, (some, t) => some ? t : (DateTimeOffset?)null);
        var flag = Gen.Select(Gen.Bool, Gen.Bool, (some, b) => some ? b : (bool?)null);
        var activity = Gen.Select(
            Gen.Select(text, text, text, text, (type, id, t, locale) => (type, id, t, locale)),
            Gen.Select(account, account.Null(), time, element, (from, to, time, value) => (from, to, time, value)),
            Gen.Select(text, flag, account.Array[0, 3].Null(), (name, group, members) => (name, group, members)),
            (a, b, c) => new Activity
            {
                Type = a.type, Id = a.id, Text = a.t, Locale = a.locale, From = b.from, Recipient = b.to, Timestamp = b.time, LocalTimestamp = b.time,
                Value = b.value, Name = c.name, Conversation = new ConversationAccount { Id = c.name, IsGroup = c.group }, MembersAdded = c.members,
            });
        activity.Sample(a => Assert.Equal(Serializer(a), Hand(a)), iter: 2000);
    }

    [Fact]
    public void Timestamps_are_written_digit_by_digit_as_the_format_string_writes_them()
    {
        static string ByFormat(DateTimeOffset t) => t.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture);
        static string ByDigits(DateTimeOffset t) => Encoding.ASCII.GetString(UtcTimestampConverter.FormatUtf8(t, new byte[UtcTimestampConverter.Length]));

        Gen.DateTimeOffset.Sample(t => Assert.Equal(ByFormat(t), ByDigits(t)), iter: 5000);
        foreach (var edge in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(-9)) })
            Assert.Equal(ByFormat(edge), ByDigits(edge));
    }

    [Fact]
    public void The_server_logs_activities_with_the_hand_writer()
    {
        var activity = new Activity { Type = ActivityTypes.Message, Timestamp = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture), Text = "テスト" };
        Assert.Equal(Hand(activity), Encoding.UTF8.GetString(BotFrameworkJson.SerializeToUtf8Bytes(activity)));
    }
}
