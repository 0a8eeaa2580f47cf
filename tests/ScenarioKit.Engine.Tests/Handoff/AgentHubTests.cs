using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScenarioKit.Engine.Tests.Samples;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Handoff;

/// <summary>Issue 9: the scenario side of the agent hub (waiting notice, onTimeout, handback, tickets, context).</summary>
public sealed class AgentHubTests
{
    static readonly ScenarioRuntime Retail = ScenarioRuntime.Load(SampleScenarios.Compile("retail-support"));
    static readonly ScenarioRuntime Telecom = ScenarioRuntime.Load(SampleScenarios.Compile("telecom-support"));
    static readonly DateTimeOffset TuesdayAfternoonTokyo = new(2026, 11, 24, 14, 0, 0, TimeSpan.FromHours(9));

    /// <summary>A hub that reports a fixed status and records what it was asked.</summary>
    sealed class FakeQueue(QueueStatus? status) : IHandoffQueue
    {
        public QueueStatus? Status { get; set; } = status;
        public List<(string Conversation, string Queue)> Asked { get; } = [];

        public ValueTask<QueueStatus?> GetStatusAsync(string conversationId, string queue, CancellationToken cancellationToken)
        {
            Asked.Add((conversationId, queue));
            return ValueTask.FromResult(Status);
        }
    }

    static (Chat Chat, FakeQueue Queue) WithHub(ScenarioRuntime runtime, QueueStatus? status, DateTimeOffset? start = null)
    {
        var chat = new Chat(runtime, start: start ?? TuesdayAfternoonTokyo);
        var queue = new FakeQueue(status);
        chat.Services = chat.Services with { Queue = queue };
        return (chat, queue);
    }

    [Fact]
    public void Issue9_handoff_with_a_hub_tells_the_customer_their_place_and_wait()
    {
        var (chat, queue) = WithHub(Retail, new QueueStatus(2, TimeSpan.FromSeconds(150), AgentsOnline: 1, Assigned: false));
        var result = chat.User("オペレーターと話したい");
        Assert.Equal(
            ["<handoff>", "かしこまりました。担当者におつなぎします。これまでの内容は担当者に引き継ぎますので、改めてご説明いただく必要はございません。",
             "ただいま2番目にお待ちいただいています（目安：約3分）。このままお待ちください。"],
            Chat.Texts(result));
        Assert.Equal([("conv-1", "support")], queue.Asked);
        Assert.True(chat.State.WithAgent);
        Assert.Equal("support", chat.State.HandoffQueue);
        Assert.False(result.Handoff!.Unattended);
        Assert.Equal("human", result.Handoff.Intent);
        Assert.Equal("retail-support", result.Handoff.ScenarioId);
        Assert.Equal("1.0.0", result.Handoff.PackageVersion);
        Assert.EndsWith("scenario.yaml", result.Handoff.RuleSpan.File, StringComparison.Ordinal);
        Assert.True(result.Handoff.RuleSpan.Line > 0);
        Assert.Equal(["intent", "confidence"], result.Handoff.ConditionValues.Select(kv => kv.Key));
    }

    [Fact]
    public void Issue9_waiting_customer_hears_the_notice_again_until_an_agent_has_the_conversation()
    {
        var (chat, queue) = WithHub(Retail, new QueueStatus(3, TimeSpan.FromMinutes(6), 2, false));
        chat.User("担当者と話したい");
        queue.Status = new QueueStatus(1, TimeSpan.FromSeconds(20), 2, false);
        Assert.Equal(["ただいま1番目にお待ちいただいています（目安：約1分）。このままお待ちください。"], chat.Reply("まだですか？"));
        Assert.Equal("まだですか？", chat.State.Transcript[^2].Text);

        queue.Status = new QueueStatus(1, TimeSpan.Zero, 2, Assigned: true);
        Assert.Empty(chat.Reply("もしもし"));
        Assert.True(chat.State.WithAgent);
        Assert.Equal("もしもし", chat.State.Transcript[^1].Text);
    }

    [Fact]
    public void Issue9_no_agent_online_sends_the_customer_down_onTimeout_at_once()
    {
        var (chat, _) = WithHub(Retail, new QueueStatus(1, TimeSpan.Zero, AgentsOnline: 0, Assigned: false));
        var result = chat.User("オペレーターと話したい");
        var message = Assert.IsType<BotMessage>(Assert.Single(result.Outputs));
        Assert.StartsWith("大変お待たせして申し訳ございません。", message.Text, StringComparison.Ordinal);
        Assert.Equal(["折り返しの電話を希望", "メールでの連絡を希望"], message.Suggestions);
        Assert.False(chat.State.WithAgent);
        Assert.Null(chat.State.HandoffQueue);
        Assert.True(result.Handoff!.Unattended);
        Assert.Equal(HandoffDecision.NoAgents, result.Handoff.UnattendedReason);
        Assert.True(result.Handoff.WithinHours);
        Assert.Equal(["callback", "email"], result.Handoff.Offer);
        Assert.True((bool)result.Handoff.ToEventValue()["unattended"]!);
    }

    [Fact]
    public void Issue9_timeout_reported_by_the_hub_runs_onTimeout_and_gives_the_conversation_back()
    {
        var (chat, _) = WithHub(Telecom, new QueueStatus(4, TimeSpan.FromMinutes(8), 3, false), new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal("<handoff>", chat.Reply("I want to talk to an agent")[0]);
        var result = chat.Send(new HandoffStatusInput(HandoffStatusInput.Failed) { Reason = HandoffStatusInput.Timeout });
        var message = Assert.IsType<BotMessage>(Assert.Single(result.Outputs));
        Assert.Equal("Sorry, all our colleagues are busy right now. We can call you back, or reply by email.", message.Text);
        Assert.Equal(["Call me back", "Email me"], message.Suggestions);
        Assert.False(chat.State.WithAgent);
        Assert.Equal(["What number should we call? For example 07700 900123."], chat.Reply("Call me back"));
    }

    [Fact]
    public void Issue9_the_trace_says_when_the_waiting_notice_and_the_timeout_path_were_sent()
    {
        // Coverage counts these paths from the trace (ScenarioKit.Testing CoverageKind.HubPaths).
        var (chat, queue) = WithHub(Retail, new QueueStatus(2, TimeSpan.FromMinutes(3), 1, false));
        var handoff = chat.User("担当者と話したい").Trace;
        Assert.Equal((true, false), (handoff.WaitingNotice, handoff.TimeoutPath));
        Assert.True(chat.User("まだですか").Trace.WaitingNotice);
        var timeout = chat.Send(new HandoffStatusInput(HandoffStatusInput.Failed) { Reason = HandoffStatusInput.Timeout }).Trace;
        Assert.Equal((false, true), (timeout.WaitingNotice, timeout.TimeoutPath));
        var plain = chat.User("こんにちは").Trace;
        Assert.Equal((false, false), (plain.WaitingNotice, plain.TimeoutPath));

        queue.Status = new QueueStatus(1, TimeSpan.Zero, AgentsOnline: 0, Assigned: false);
        var unattended = chat.User("担当者と話したい").Trace;
        Assert.Equal((false, true), (unattended.WaitingNotice, unattended.TimeoutPath));

        queue.Status = new QueueStatus(1, TimeSpan.Zero, AgentsOnline: 1, Assigned: true);
        var assigned = chat.User("担当者と話したい").Trace;
        Assert.Equal((false, false), (assigned.WaitingNotice, assigned.TimeoutPath));
    }

    [Fact]
    public void Issue9_a_customer_who_left_is_not_talked_to_and_a_stray_timeout_is_ignored()
    {
        var (chat, _) = WithHub(Telecom, new QueueStatus(1, TimeSpan.FromMinutes(1), 1, false), new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        chat.User("I want to talk to an agent");
        Assert.Empty(chat.Send(new HandoffStatusInput(HandoffStatusInput.Failed) { Reason = HandoffStatusInput.Abandoned }).Outputs);
        Assert.False(chat.State.WithAgent);
        // Not with an agent any more: a late timeout must not speak.
        Assert.Empty(chat.Send(new HandoffStatusInput(HandoffStatusInput.Failed) { Reason = HandoffStatusInput.Timeout }).Outputs);
    }

    [Fact]
    public void Issue9_agent_returns_the_customer_into_a_flow_with_variables_in_the_same_turn()
    {
        var (chat, _) = WithHub(Retail, new QueueStatus(1, TimeSpan.FromMinutes(1), 1, true));
        chat.User("オペレーターと話したい");
        chat.Send(new HandoffStatusInput(HandoffStatusInput.Accepted));
        Assert.True(chat.State.WithAgent);
        var back = chat.Send(new HandoffStatusInput(HandoffStatusInput.Completed)
        {
            Flow = "csat",
            Variables = new Dictionary<string, JsonNode?> { ["feedback.topic"] = JsonValue.Create("返品"), ["nope"] = JsonValue.Create(1) },
        });
        Assert.Equal(["返品の件、担当者からのご案内は以上です。", "本日の対応はいかがでしたか？5（とても満足）〜1（不満）でお選びください。"], Chat.Texts(back));
        Assert.False(chat.State.WithAgent);
        Assert.Equal("csat", chat.State.ActiveFlow);
        Assert.Equal("返品", (string?)chat.State.Variables["feedback.topic"]);
        Assert.Contains(back.Trace.Errors, e => e.Message.Contains("unknown variable 'nope'", StringComparison.Ordinal));
        Assert.Equal(["ご評価ありがとうございます。またのご利用をお待ちしております。"], chat.Reply("4"));
    }

    [Fact]
    public void Issue9_ValidateHandback_names_unknown_flows_and_variables_and_misfit_values()
    {
        Assert.Empty(Retail.ValidateHandback("csat", new Dictionary<string, JsonNode?> { ["feedback.score"] = JsonValue.Create(5), ["customer.segment"] = JsonValue.Create("vip") }));
        Assert.Empty(Retail.ValidateHandback(null, null));
        var errors = Retail.ValidateHandback("survey", new Dictionary<string, JsonNode?>
        {
            ["customer.segment"] = JsonValue.Create("gold"),
            ["feedback.score"] = JsonValue.Create("five"),
            ["feedback.mood"] = JsonValue.Create("happy"),
            ["feedback.topic"] = null,
        });
        Assert.Equal(
        [
            "unknown flow 'survey'",
            "variable 'customer.segment' must be one of \"new\", \"regular\", \"vip\"; \"gold\" is not",
            "unknown variable 'feedback.mood'",
            "variable 'feedback.score' is of type integer; \"five\" does not fit",
        ], errors);
        var coded = Retail.CheckHandback("survey", null);
        Assert.Equal(HandbackError.UnknownFlow, Assert.Single(coded).Code);
        Assert.Equal("フロー 'survey' はありません", coded[0].Japanese);
    }

    [Fact]
    public void Issue9_ticket_step_numbers_the_request_stores_it_and_hands_it_to_the_hub()
    {
        static TurnResult Book()
        {
            var chat = new Chat(Retail, start: TuesdayAfternoonTokyo);
            chat.User("折り返しの電話を希望");
            chat.User("０９０－１２３４－５６７８");
            return chat.User("午後");
        }
        var result = Book();
        var ticket = Assert.Single(result.Outputs.OfType<TicketOutput>()).Ticket;
        Assert.Matches(new Regex("^CB-[2-9A-HJ-NP-Z]{5}$"), ticket.Number);
        Assert.Equal(TicketKind.Callback, ticket.Kind);
        Assert.Equal("09012345678", ticket.Contact);
        Assert.Equal("午後", ticket.Time);
        Assert.Null(ticket.Note);
        Assert.Equal("support", ticket.Queue);
        Assert.Equal(["contact.phone", "contact.time"], ticket.Answers.Select(a => a.Key));
        Assert.Equal("retail-support", ticket.ScenarioId);
        Assert.Equal(ticket.Number, (string?)result.State.Variables["contact.ticket"]);
        Assert.Equal($"承知いたしました。午後に担当者からお電話いたします（受付番号 {ticket.Number}）。", Chat.Texts(result)[^1]);
        Assert.Equal(ticket.Number, Assert.Single(Book().Outputs.OfType<TicketOutput>()).Ticket.Number);
        Assert.Equal("callback", (string?)ticket.ToJson()["kind"]);
    }

    [Fact]
    public void Issue9_handoff_carries_condition_values_stage_history_recent_events_and_answers()
    {
        var chat = new Chat(Retail, start: TuesdayAfternoonTokyo);
        chat.Event("page_view", """{"path":"/products/42"}""");
        chat.Event("cart_updated", """{"total":32000,"items":3,"lines":[{"sku":"a"}]}""");
        var result = chat.Event("checkout_started");
        var decision = result.Handoff!;
        Assert.Equal("big-cart-at-checkout", decision.RuleId);
        Assert.Equal(["stage", "cart.total"], decision.ConditionValues.Select(kv => kv.Key));
        Assert.Equal("checkout", (string?)decision.ConditionValues[0].Value);
        Assert.Equal(32000, (int)decision.ConditionValues[1].Value!);
        Assert.Equal("checkout", decision.Stage);
        // The conversation starts in browsing, so the page view enters no stage.
        Assert.Equal([("cart", "cart_updated"), ("checkout", "checkout_started")],
            decision.StageHistory.Select(s => (s.Stage, s.Event)));
        Assert.Equal(["page_view", "cart_updated", "checkout_started"], decision.RecentEvents.Select(e => e.Name));
        // Compact: scalars only, the line items are dropped.
        Assert.Equal("""{"total":32000,"items":3}""", decision.RecentEvents[1].Value!.ToJsonString());
        var value = decision.ToEventValue();
        Assert.Equal(32000, (int)value["conditionValues"]!["cart.total"]!);
        Assert.Equal("checkout", (string?)value["stage"]);
        Assert.Equal(2, value["stageHistory"]!.AsArray().Count);
        Assert.Equal(0, (int)value["priority"]!);
        Assert.Equal("big-cart-at-checkout", (string?)value["rule"]);
        Assert.True(value["ruleSpan"]!["line"]!.GetValue<int>() > 0);
    }

    [Fact]
    public void Issue9_context_survives_serialisation_and_stays_bounded()
    {
        var chat = new Chat(Retail, start: TuesdayAfternoonTokyo);
        for (var i = 0; i < 30; i++)
        {
            chat.Event("page_view", $$"""{"path":"/products/{{i}}","note":"{{new string('x', 200)}}"}""");
            chat.Event("cart_updated", """{"total":100,"items":1}""");
        }
        Assert.Equal(ConversationState.MaxRecentEvents, chat.State.RecentEvents.Length);
        Assert.Equal(ConversationState.MaxStageHistory, chat.State.StageHistory.Length);
        Assert.All(chat.State.RecentEvents, e => Assert.True(e.Value is null || e.Value.ToJsonString().Length < 200));
        var bytes = chat.State.Serialize();
        var copy = ConversationState.Deserialize(bytes);
        Assert.Equal(bytes, copy.Serialize());
        Assert.Equal(chat.State.StageHistory, copy.StageHistory);
        Assert.True(bytes.Length < 4096, $"{bytes.Length} bytes: {Encoding.UTF8.GetString(bytes)}");
    }

    [Fact]
    public void Issue9_agent_messages_go_into_the_transcript_and_never_make_the_bot_speak()
    {
        var (chat, _) = WithHub(Telecom, new QueueStatus(1, TimeSpan.FromMinutes(1), 1, true), new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        Assert.Empty(chat.Send(new AgentMessageInput("Hello?")).Outputs);
        Assert.NotEmpty(chat.Last!.Trace.Errors); // the bot has the conversation: ignored
        chat.User("I want to talk to an agent");
        var result = chat.Send(new AgentMessageInput("Hi, I'm Jo. How can I help?", "Jo"));
        Assert.Empty(result.Outputs);
        Assert.Equal(new TranscriptEntry(TranscriptEntry.Agent, "Hi, I'm Jo. How can I help?"), chat.State.Transcript[^1]);
        var copy = ConversationState.Deserialize(chat.State.Serialize());
        Assert.Equal(TranscriptEntry.Agent, copy.Transcript[^1].Role);
    }

    [Fact]
    public void Issue9_without_a_scenario_waiting_message_the_built_in_notice_is_used_in_english_and_japanese()
    {
        foreach (var (locale, expected) in new[] { ("en-US", "You are number 5 in the queue (about 12 min)."), ("ja-JP", "現在5番目にお待ちいただいています（目安：約12分）。") })
        {
            var model = Scenario(locale) with
            {
                Intents = [Intent("human", patterns: ["human"])],
                Handoff = new HandoffDef([Queue("support", "UTC")], [Rule("asked", "support", intent: "human")], null, [], null, Span()),
            };
            var (chat, _) = WithHub(Load(model), new QueueStatus(5, TimeSpan.FromSeconds(11 * 60 + 1), 1, false));
            Assert.Equal(["<handoff>", expected], chat.Reply("human"));
        }
    }

    [Fact]
    public void Issue9_waiting_template_sees_the_queue_name_and_priority_reaches_the_decision()
    {
        var model = Scenario() with
        {
            Intents = [Intent("human", patterns: ["human"])],
            Handoff = new HandoffDef([Queue("vip_desk", "UTC")], [Rule("asked", "vip_desk", intent: "human") with { Priority = 7 }], null, [], null, Span())
            {
                Waiting = M("${queue.name}: #${queue.position}, ~${queue.waitMinutes}m"),
            },
        };
        var (chat, _) = WithHub(Load(model), new QueueStatus(1, TimeSpan.FromSeconds(61), 1, false));
        var result = chat.User("human");
        Assert.Equal(["<handoff>", "vip_desk: #1, ~2m"], Chat.Texts(result));
        Assert.Equal(7, result.Handoff!.Priority);
    }
}
