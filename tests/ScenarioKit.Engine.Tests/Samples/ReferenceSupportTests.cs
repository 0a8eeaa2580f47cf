using System.Text;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine.Tests.Support;

namespace ScenarioKit.Engine.Tests.Samples;

// scenarios/reference-support compiled by the real compiler must reply exactly as reference.js defines.
public sealed class ReferenceSupportTests
{
    static readonly ScenarioRuntime Runtime = ScenarioRuntime.Load(SampleScenarios.Compile("reference-support"));

    static readonly string[] Turns = ["hello", "where is my order", "abc", "12345678", "talk to a human"];

    const string Greeting = "Hi! I'm the support assistant. What can I help you with?";
    const string AskNumber = "Sure. Please type your 8-digit order number.";
    const string Retry1 = "That doesn't look like an 8-digit order number. Please try again (retry 1 of 2).";
    const string Found = "Order 12345678: shipped on 2 June, arriving 5 June.";

    [Fact]
    public async Task Five_turns_reply_exactly_as_reference_js()
    {
        var services = new TurnServices(new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero)),
            new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        var state = Runtime.Start("conv-1", "user-conv-1");
        var replies = new List<TurnResult>();
        for (var t = 0; t < Turns.Length; t++)
        {
            var result = await Runtime.RunTurnAsync(state, new MessageInput(Turns[t], $"1-{t + 1}"), services, TestContext.Current.CancellationToken);
            Assert.Empty(result.Trace.Errors);
            replies.Add(result);
            state = result.State;
        }

        var menu = Assert.IsType<BotMessage>(Assert.Single(replies[0].Outputs));
        Assert.Equal(Greeting, menu.Text);
        Assert.Equal(["Order status", "Returns", "Talk to a person"], menu.Suggestions);
        Assert.Equal([AskNumber], Chat.Texts(replies[1]));
        Assert.Equal([Retry1], Chat.Texts(replies[2]));
        Assert.Equal([Found, "Anything else?"], Chat.Texts(replies[3]));
        Assert.Equal(["<handoff>", "Connecting you to an agent"], Chat.Texts(replies[4]));

        var value = Assert.IsType<HandoffEventOutput>(replies[4].Outputs[0]).Decision.ToEventValue();
        Assert.Equal("12345678", (string?)value["orderNumber"]);
        Assert.Equal(
        [
            ("user", "hello"), ("bot", Greeting), ("user", "where is my order"), ("bot", AskNumber), ("user", "abc"), ("bot", Retry1),
            ("user", "12345678"), ("bot", Found), ("bot", "Anything else?"), ("user", "talk to a human"),
        ], value["transcript"]!.AsArray().Select(e => ((string)e!["role"]!, (string)e["text"]!)));

        Assert.True(state.WithAgent);
        Assert.Equal(11, state.Transcript.Length);
        Assert.Equal("12345678", (string?)Runtime.GetUserVariables(state)["profile.lastOrderNumber"]);
        var bytes = state.Serialize();
        Assert.True(bytes.Length <= 800, $"{bytes.Length} bytes: {Encoding.UTF8.GetString(bytes)}");
    }

    [Fact]
    public void Asking_for_a_person_interrupts_the_order_number_prompt()
    {
        var chat = new Chat(Runtime, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        chat.User("where is my order");
        Assert.Equal(["<handoff>", "Connecting you to an agent"], chat.Reply("actually, an agent please"));
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Every_sample_scenario_loads_and_answers(string name)
    {
        var runtime = ScenarioRuntime.Load(SampleScenarios.Compile(name));
        var chat = new Chat(runtime, new MockActionInvoker(new Dictionary<string, ActionOutcome>()));
        var start = chat.Send(new ConversationStartInput("start"));
        Assert.Empty(start.Trace.Errors);
        var reply = chat.User("hello");
        Assert.NotEmpty(reply.Outputs);
        Assert.Empty(reply.Trace.Errors);
    }

    public static TheoryData<string> AllSamples() => [.. SampleScenarios.Names()];
}
