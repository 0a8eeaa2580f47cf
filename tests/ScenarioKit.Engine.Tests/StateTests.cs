using System.Text;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests;

public sealed class ConversationStateTests
{
    static readonly ScenarioRuntime Runtime = B.Load(ReferenceModel.Build() with
    {
        Journey = [Stage("browsing", null, Proactive("p", On("dwell"), "hi", Cap.None))],
        Intents = [.. ReferenceModel.Build().Intents, Intent("a", examples: ["cancel my order"], description: "Cancel"), Intent("b", examples: ["change my order"], description: "Change")],
        Recognizer = new RecognizerSettings(0.2, 0.3, null),
    });

    [Fact]
    public void Every_part_of_the_state_round_trips()
    {
        var chat = new Chat(Runtime, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        chat.Event("dwell");
        chat.User("where is my order");
        chat.User("abc");
        chat.User("注文は「１２」です");
        var bytes = chat.State.Serialize();
        var copy = ConversationState.Deserialize(bytes);
        Assert.Equal(bytes, copy.Serialize());
        Assert.Equal("order_status", copy.ActiveFlow);
        Assert.Equal("order_status/0", copy.WaitingStep);
        Assert.Contains("注文は「１２」です", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        // The copy continues exactly like the original.
        var fromCopy = new Chat(Runtime, new DefaultActionInvoker(new HttpClient(), TimeProvider.System), activityPrefix: "copy") { State = copy };
        Assert.Equal([ReferenceModel.GiveUp], fromCopy.Reply("x"));
        Assert.Equal([ReferenceModel.GiveUp], chat.Reply("x"));
    }

    [Fact]
    public void Pending_clarification_round_trips()
    {
        var chat = new Chat(Runtime);
        var clarify = chat.User("my order");
        Assert.Equal(2, ((BotMessage)clarify.Outputs[0]).Suggestions.Length);
        var copy = ConversationState.Deserialize(chat.State.Serialize());
        chat.State = copy;
        Assert.Equal("b", chat.User("change").Trace.Intent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"v\":99,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\"}")]
    [InlineData("{\"v\":1,\"p\":\"p\",\"pv\":\"1\"}")]
    [InlineData("{\"v\":1,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\",\"tr\":[\"xhello\"]}")]
    [InlineData("{\"v\":1,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\",\"tr\":[\"uhi\",\"\"]}")]
    [InlineData("{\"v\":1,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\",\"tr\":[\"uhi\",1]}")]
    [InlineData("{\"v\":1,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\",\"tr\":[[\"uhi\"]]}")]
    [InlineData("{\"v\":1,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\",\"tr\":\"uhi\"}")]
    [InlineData("{\"v\":1,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\",\"f\":[[1]]}")]
    [InlineData("{\"v\":1,\"c\":\"x\",\"p\":\"p\",\"pv\":\"1\",\"t\":\"many\"}")]
    public void Corrupt_state_is_a_clear_InvalidDataException(string json)
    {
        var e = Assert.Throws<InvalidDataException>(() => ConversationState.Deserialize(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith("conversation state", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transcript_is_bounded()
    {
        var runtime = B.Load(ReferenceModel.Build(), new RuntimeOptions { MaxTranscriptEntries = 6, RecentActivityIds = 3 });
        var chat = new Chat(runtime);
        for (var i = 0; i < 10; i++) chat.User($"blah {i}");
        Assert.Equal(6, chat.State.Transcript.Length);
        Assert.Equal("blah 9", chat.State.Transcript[^2].Text);
        Assert.Equal(10, chat.State.Turn);
        // Only the last three ids are remembered: the first is processed again.
        Assert.False(chat.Send(new MessageInput("hello", "a1")).Trace.Duplicate);
        Assert.True(chat.Send(new MessageInput("hello", "a10")).Trace.Duplicate);
    }

    [Fact]
    public void A_stored_transcript_reads_trims_and_writes_like_one_kept_in_memory()
    {
        // A stored state's transcript is kept as its JSON until someone reads it (TranscriptLog): each turn here goes
        // through Serialize/Deserialize, the other chat keeps its state object; both must agree at every turn,
        // including when the bound drops entries that were read from storage and never decoded.
        var runtime = B.Load(ReferenceModel.Build(), new RuntimeOptions { MaxTranscriptEntries = 5 });
        var kept = new Chat(runtime);
        var stored = new Chat(runtime);
        // One message longer than the decoder's stack buffer (256 characters), in Japanese.
        string[] messages = ["hello", "注文はどこ", "where is my order", "abc", string.Concat(Enumerable.Repeat("長い注文の話です。", 40)), "「いくら」", "x", "y"];
        foreach (var text in messages)
        {
            kept.User(text);
            stored.User(text);
            stored.State = ConversationState.Deserialize(stored.State.Serialize());
            Assert.Equal(kept.State.Transcript, stored.State.Transcript);
            Assert.Equal(kept.State.Serialize(), stored.State.Serialize());
            Assert.True(stored.State.Transcript.Length <= 5);
        }
        Assert.Equal("y", stored.State.Transcript[^2].Text);
    }

    [Fact]
    public void Escaped_transcript_entries_are_read_and_written_back_unchanged()
    {
        // A state written by another JSON writer may escape anything, the role letter included.
        const string Json = """{"v":1,"c":"x","p":"reference","pv":"1.0.0","tr":["\u0075hi \u3053\u3093","b\"ok\""]}""";
        var state = ConversationState.Deserialize(Encoding.UTF8.GetBytes(Json));
        Assert.Equal([new TranscriptEntry(TranscriptEntry.User, "hi こん"), new TranscriptEntry(TranscriptEntry.Bot, "\"ok\"")], state.Transcript);
        var again = ConversationState.Deserialize(state.Serialize());
        Assert.Equal(state.Transcript, again.Transcript);
    }

    [Fact]
    public void Start_applies_defaults_and_user_scoped_values()
    {
        var runtime = B.Load(Scenario() with
        {
            Variables = [Var("segment", @default: "new"), Var("profile.last", scope: VariableScope.User), Var("tmp")],
        });
        var state = runtime.Start("c", "u", new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["profile.last"] = "123", ["tmp"] = "ignored" });
        Assert.Equal("new", (string?)state.Variables["segment"]);
        Assert.Equal("123", (string?)state.Variables["profile.last"]);
        Assert.False(state.Variables.ContainsKey("tmp"));
        Assert.Equal(["profile.last"], runtime.GetUserVariables(state).Keys);
    }
}

public sealed class WithVariablesTests
{
    [Fact]
    public void WithVariables_sets_copies_and_removes_without_touching_the_original()
    {
        var runtime = B.Load(ReferenceModel.Build());
        var state = runtime.Start("c");
        var value = System.Text.Json.Nodes.JsonValue.Create("11112222");
        var given = state.WithVariables([new("order.number", value)]);
        Assert.False(state.Variables.ContainsKey("order.number"));
        Assert.Equal("11112222", (string?)given.Variables["order.number"]);
        Assert.NotSame(value, given.Variables["order.number"]);
        Assert.False(given.WithVariables([new("order.number", null)]).Variables.ContainsKey("order.number"));
        var chat = new Chat(runtime) { State = given };
        chat.User("where is my order");
        Assert.Equal("order_status", chat.State.ActiveFlow);
    }
}
