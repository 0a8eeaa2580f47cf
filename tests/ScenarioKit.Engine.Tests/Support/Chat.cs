using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace ScenarioKit.Engine.Tests.Support;

/// <summary>Drives one conversation through a runtime, keeping the state between turns.</summary>
internal sealed class Chat
{
    int _activity;
    readonly string _prefix;

    public Chat(ScenarioRuntime runtime, IActionInvoker? actions = null, DateTimeOffset? start = null, string conversationId = "conv-1", string activityPrefix = "a")
    {
        Runtime = runtime;
        Clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(9)));
        Services = new TurnServices(Clock, actions ?? new MockActionInvoker(new Dictionary<string, ActionOutcome>()));
        State = runtime.Start(conversationId, "user-1");
        _prefix = activityPrefix;
    }

    public ScenarioRuntime Runtime { get; }
    public FakeTimeProvider Clock { get; }
    public TurnServices Services { get; set; }
    public ConversationState State { get; set; }
    public TurnResult? Last { get; private set; }

    public TurnResult Send(TurnInput input)
    {
        Last = Runtime.RunTurnAsync(State, input, Services, TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
        State = Last.State;
        return Last;
    }

    public TurnResult User(string text) => Send(new MessageInput(text, $"{_prefix}{++_activity}"));

    public TurnResult Event(string name, string? json = null) =>
        Send(new EventInput(name, json is null ? null : JsonDocument.Parse(json).RootElement.Clone(), $"{_prefix}{++_activity}"));

    /// <summary>The bot's message texts of a turn, events shown as &lt;handoff&gt;.</summary>
    public static string[] Texts(TurnResult result) =>
        [.. result.Outputs.Select(o => o switch
        {
            BotMessage m => m.Text,
            HandoffEventOutput => "<handoff>",
            _ => o.ToString()!,
        })];

    public string[] Reply(string text) => Texts(User(text));
}
