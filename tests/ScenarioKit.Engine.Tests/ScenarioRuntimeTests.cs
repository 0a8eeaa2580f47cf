using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine.Tests.Support;
using static ScenarioKit.Engine.Tests.Support.ReferenceModel;

namespace ScenarioKit.Engine.Tests;

public sealed class ScenarioRuntimeTests
{
    static readonly ScenarioRuntime Reference = B.Load(Build());

    [Fact]
    public void Reference_conversation_replies_exactly_as_defined()
    {
        var chat = new Chat(Reference, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));

        var t1 = chat.User("hello");
        var greeting = Assert.IsType<BotMessage>(Assert.Single(t1.Outputs));
        Assert.Equal(Greeting, greeting.Text);
        Assert.Equal(["Order status", "Returns", "Talk to a person"], greeting.Suggestions);

        Assert.Equal([AskOrderNumber], Chat.Texts(chat.User("where is my order")));
        Assert.Equal([Retry(1)], Chat.Texts(chat.User("abc")));
        Assert.Equal(["Order 12345678: shipped on 2 June, arriving 5 June.", AnythingElse], Chat.Texts(chat.User("12345678")));

        var t5 = chat.User("talk to a human");
        Assert.Equal(2, t5.Outputs.Length);
        var handoff = Assert.IsType<HandoffEventOutput>(t5.Outputs[0]);
        Assert.Equal(HandoffText, Assert.IsType<BotMessage>(t5.Outputs[1]).Text);

        var value = handoff.Decision.ToEventValue();
        Assert.Equal("12345678", (string?)value["orderNumber"]);
        var transcript = value["transcript"]!.AsArray().Select(e => $"{(string?)e!["role"]}: {(string?)e["text"]}").ToArray();
        Assert.Equal(
        [
            "user: hello", $"bot: {Greeting}",
            "user: where is my order", $"bot: {AskOrderNumber}",
            "user: abc", $"bot: {Retry(1)}",
            "user: 12345678", "bot: Order 12345678: shipped on 2 June, arriving 5 June.", $"bot: {AnythingElse}",
            "user: talk to a human",
        ], transcript);
        Assert.Equal("support", (string?)value["queue"]);
        Assert.Equal("asked-for-human", (string?)value["rule"]);
        Assert.True((bool)value["withinHours"]!);
        Assert.Same(handoff.Decision, t5.Handoff);

        Assert.True(chat.State.WithAgent);
        Assert.Equal(11, chat.State.Transcript.Length);
        Assert.Equal("12345678", (string?)chat.State.Variables["order.number"]);
        Assert.Equal("12345678", (string?)Reference.GetUserVariables(chat.State)["profile.lastOrderNumber"]);
    }

    [Fact]
    public void Reference_conversation_final_state_is_at_most_800_bytes_and_round_trips()
    {
        var chat = new Chat(Reference, new DefaultActionInvoker(new HttpClient(), TimeProvider.System), conversationId: "conv-12345");
        foreach (var text in UserTurns) chat.User(text);
        var bytes = chat.State.Serialize();
        Assert.True(bytes.Length <= 800, $"state is {bytes.Length} bytes: {Encoding.UTF8.GetString(bytes)}");

        var copy = ConversationState.Deserialize(bytes);
        Assert.Equal(bytes, copy.Serialize());
        Assert.Equal(chat.State.Transcript, copy.Transcript);
        Assert.True(copy.WithAgent);
    }

    [Fact]
    public void Third_invalid_order_number_gives_up_with_onFail()
    {
        var chat = new Chat(Reference, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        chat.User("where is my order");
        Assert.Equal([Retry(1)], chat.Reply("abc"));
        Assert.Equal([Retry(2)], chat.Reply("x"));
        Assert.Equal([GiveUp], chat.Reply("y"));
        Assert.Null(chat.State.ActiveFlow);
        Assert.Equal([Fallback], chat.Reply("blah"));
    }

    [Fact]
    public void Unknown_order_gets_not_found_then_anything_else()
    {
        var chat = new Chat(Reference, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        chat.User("where is my order");
        Assert.Equal(["I couldn't find order 99999999.", AnythingElse], chat.Reply("99999999"));
    }

    [Fact]
    public void Full_width_order_number_is_accepted()
    {
        var chat = new Chat(Reference, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        chat.User("where is my order");
        Assert.Equal(["Order 12345678: shipped on 2 June, arriving 5 June.", AnythingElse], chat.Reply("１２３４５６７８"));
    }

    [Fact]
    public async Task RunTurn_does_not_change_the_state_it_was_given()
    {
        var chat = new Chat(Reference);
        chat.User("where is my order");
        var before = chat.State;
        var bytes = before.Serialize();
        var result = await Reference.RunTurnAsync(before, new MessageInput("12345678", "x1"), chat.Services, TestContext.Current.CancellationToken);
        Assert.NotSame(before, result.State);
        Assert.Equal(bytes, before.Serialize());
        Assert.Equal("order_status", before.ActiveFlow);
    }

    [Fact]
    public void A_message_with_only_a_string_value_is_read_as_its_text()
    {
        var chat = new Chat(Reference);
        var result = chat.Send(new MessageInput("", "pb-1", System.Text.Json.JsonDocument.Parse("\"Order status\"").RootElement));
        Assert.Equal([AskOrderNumber], Chat.Texts(result));
    }

    [Fact]
    public void Repeated_activity_id_is_ignored()
    {
        var chat = new Chat(Reference);
        var first = chat.Send(new MessageInput("hello", "act-1"));
        Assert.Single(first.Outputs);
        var again = chat.Send(new MessageInput("hello", "act-1"));
        Assert.True(again.Trace.Duplicate);
        Assert.Empty(again.Outputs);
        Assert.Same(first.State, again.State);
    }

    [Fact]
    public async Task State_from_another_package_version_is_rejected()
    {
        var other = B.Load(Build() with { Version = "2.0.0" });
        var state = other.Start("c");
        var services = new TurnServices(TimeProvider.System, new MockActionInvoker(new Dictionary<string, ActionOutcome>()));
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await Reference.RunTurnAsync(state, new MessageInput("hi"), services, TestContext.Current.CancellationToken));
        Assert.Contains("2.0.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mocked_action_result_is_used()
    {
        var mock = MockActionInvoker.Returning(new Dictionary<string, JsonNode?> { ["orderTable"] = "lost at sea" });
        var chat = new Chat(Reference, mock);
        chat.User("where is my order");
        Assert.Equal(["Order 12345678: lost at sea.", AnythingElse], chat.Reply("12345678"));
        var call = Assert.Single(mock.Calls);
        Assert.Equal("orderTable", call.Action);
        Assert.Equal("12345678", (string?)call.Arguments["number"]);
    }

    [Fact]
    public void After_handoff_the_bot_is_silent_until_the_agent_completes()
    {
        var chat = new Chat(Reference);
        chat.User("talk to a human");
        Assert.True(chat.State.WithAgent);
        Assert.Empty(chat.User("hello?").Outputs);
        Assert.Empty(chat.Send(new HandoffStatusInput(HandoffStatusInput.Accepted)).Outputs);
        Assert.True(chat.State.WithAgent);
        chat.Send(new HandoffStatusInput(HandoffStatusInput.Completed));
        Assert.False(chat.State.WithAgent);
        Assert.Equal([Greeting], chat.Reply("hello"));
        Assert.Contains(chat.State.Transcript, e => e.Text == "hello?");
    }

    [Theory]
    [InlineData(null, "\"Thanks for waiting. The bot is back.\"", "Thanks for waiting. The bot is back.")]
    [InlineData(" The agent has left. ", "\"ignored when Message is set\"", "The agent has left.")]
    [InlineData(null, "{\"code\":\"agentLeft\",\"text\":\"internal\"}", null)]
    [InlineData(null, "[1,2]", null)]
    [InlineData(null, "\"  \"", null)]
    [InlineData(null, "null", null)]
    public void Hub_message_of_any_json_kind_is_accepted_and_only_text_is_shown(string? message, string valueJson, string? shown)
    {
        var chat = new Chat(Reference);
        chat.User("talk to a human");
        var value = JsonDocument.Parse(valueJson).RootElement.Clone();
        var result = chat.Send(new HandoffStatusInput(HandoffStatusInput.Completed, message) { Value = value });
        Assert.False(chat.State.WithAgent);
        Assert.Empty(result.Trace.Errors);
        Assert.Equal(shown is null ? [] : [shown], Chat.Texts(result));
    }

    [Fact]
    public void Unknown_handoff_status_is_reported_not_thrown()
    {
        var chat = new Chat(Reference);
        var result = chat.Send(new HandoffStatusInput("exploded"));
        Assert.Contains(result.Trace.Errors, e => e.Message.Contains("exploded", StringComparison.Ordinal));
    }

    [Fact]
    public void Trace_reports_intent_steps_and_flows()
    {
        var chat = new Chat(Reference);
        var result = chat.User("where is my order");
        Assert.Equal("order_status", result.Trace.Intent);
        Assert.Equal(1, result.Trace.Confidence);
        Assert.Equal(["order_status"], result.Trace.FlowsStarted);
        Assert.Equal(["order_status/0"], result.Trace.StepsRun);
        Assert.True(((BotMessage)result.Outputs[0]).ExpectingInput);
        var fallback = chat.User("I want a pony");
        Assert.Equal(["order_status/0"], fallback.Trace.StepsRun);
        Assert.False(fallback.Trace.Fallback);
    }

    [Fact]
    public void Load_rejects_invalid_pattern_with_its_span()
    {
        var model = B.Scenario() with { Intents = [B.Intent("bad", patterns: ["(unclosed"])] };
        var e = Assert.Throws<ScenarioLoadException>(() => B.Load(model));
        var error = Assert.Single(e.Errors);
        Assert.Equal(model.Intents[0].Span, error.Span);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => B.Load(Build(), new RuntimeOptions { MaxStatements = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => B.Load(Build(), new RuntimeOptions { MemoryLimitBytes = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => B.Load(Build(), new RuntimeOptions { ExpressionTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => B.Load(Build(), new RuntimeOptions { MaxRecursionDepth = -1 }));
    }

    [Fact]
    public void Outputs_and_state_are_deterministic()
    {
        static (string, byte[]) Run()
        {
            var chat = new Chat(Reference, new DefaultActionInvoker(new HttpClient(), TimeProvider.System), conversationId: "det");
            var outputs = new StringBuilder();
            foreach (var text in UserTurns)
                foreach (var o in chat.User(text).Outputs)
                    outputs.AppendLine(o is HandoffEventOutput h ? h.Decision.ToEventValue().ToJsonString() : o.ToString());
            return (outputs.ToString(), chat.State.Serialize());
        }
        var (outputs1, state1) = Run();
        var (outputs2, state2) = Run();
        Assert.Equal(outputs1, outputs2);
        Assert.Equal(state1, state2);
    }

    [Fact]
    public void Variations_are_chosen_by_stable_hash_not_randomly()
    {
        var model = B.Scenario() with
        {
            Intents = [B.Intent("hi", patterns: ["hi"])],
            Flows = [B.Flow("hi", "hi", new ScenarioKit.Model.SayStep("hi/0", B.Variations("A", "B", "C", "D"), B.Span()))],
        };
        var runtime = B.Load(model);
        var seen = new HashSet<string>();
        for (var c = 0; c < 40; c++)
        {
            var first = new Chat(runtime, conversationId: $"c{c}").Reply("hi")[0];
            var second = new Chat(runtime, conversationId: $"c{c}").Reply("hi")[0];
            Assert.Equal(first, second);
            seen.Add(first);
        }
        Assert.True(seen.Count >= 3, string.Join(",", seen));
    }

    [Fact]
    public void Welcome_is_sent_on_conversation_start()
    {
        var runtime = B.Load(Build() with { Welcome = B.M("Welcome!", "Order status") });
        var chat = new Chat(runtime);
        var result = chat.Send(new ConversationStartInput("start-1"));
        var message = Assert.IsType<BotMessage>(Assert.Single(result.Outputs));
        Assert.Equal("Welcome!", message.Text);
        Assert.Equal(ImmutableArray.Create("Order status"), message.Suggestions);
    }
}
