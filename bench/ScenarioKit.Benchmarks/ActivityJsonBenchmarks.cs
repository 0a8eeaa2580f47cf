using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.Benchmarks;

/// <summary>
/// One reply as the server logs it (docs/performance.md, "Session 5"): a Japanese message with two suggested actions,
/// written by the serializer (BotFramework's options: the custom encoder keeps Japanese unescaped, which with extension
/// data keeps the source generator's fast path off) and by <see cref="ActivityJsonWriter"/>, which writes the same bytes;
/// and the load test's incoming message read by the serializer and by <see cref="ActivityJsonReader"/>.
/// Run: dotnet run -c Release --project bench/ScenarioKit.Benchmarks -- --filter '*ActivityJson*' --job short
/// </summary>
[MemoryDiagnoser]
public class ActivityJsonBenchmarks
{
    static readonly Activity Reply = new()
    {
        Type = ActivityTypes.Message,
        Id = "conv-a1b2c3-42|0000004",
        Timestamp = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero),
        ChannelId = "webchat",
        ServiceUrl = "https://webchat.botframework.com/",
        From = new ChannelAccount { Id = "support", Name = "support", Role = RoleTypes.Bot },
        Recipient = new ChannelAccount { Id = "user-42", Name = "山田", Role = RoleTypes.User },
        Conversation = new ConversationAccount { Id = "conv-a1b2c3-42" },
        Locale = "ja-JP",
        Text = "ご注文番号（8桁）を入力してください。",
        InputHint = InputHints.ExpectingInput,
        ReplyToId = "conv-a1b2c3-42|0000003",
        SuggestedActions = new SuggestedActions
        {
            Actions =
            [
                new CardAction { Type = ActionTypes.ImBack, Title = "注文状況", Value = JsonSerializer.SerializeToElement("注文状況") },
                new CardAction { Type = ActionTypes.ImBack, Title = "オペレーター", Value = JsonSerializer.SerializeToElement("オペレーター") },
            ],
        },
    };

    static readonly byte[] Incoming = System.Text.Encoding.UTF8.GetBytes(
        """{"type":"message","id":"a1b2c3-42-2","timestamp":"2025-06-01T09:00:00.000Z","channelId":"bench","serviceUrl":"http://127.0.0.1:9/","from":{"id":"user-a1b2c3-42","name":"Customer","role":"user"},"recipient":{"id":"bot","name":"Support Bot","role":"bot"},"conversation":{"id":"conv-a1b2c3-42"},"locale":"en-US","text":"where is my order","deliveryMode":"expectReplies"}""");

    [Benchmark]
    public Activity? ReadSerializer() => BotFrameworkJson.Deserialize<Activity>(Incoming);

    [Benchmark]
    public Activity? ReadHand() => ActivityJsonReader.TryRead(Incoming, out var activity) ? activity : null;

    [Benchmark(Baseline = true)]
    public byte[] Serializer() => JsonSerializer.SerializeToUtf8Bytes(Reply, BotFrameworkJson.Options);

    [Benchmark]
    public byte[] HandWriter() => ActivityJsonWriter.ToUtf8Bytes(Reply);
}
