using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Commands;

/// <summary>
/// <c>scenariokit chat</c> with its simulated agent hub (issue 9): the waiting notice, the designer playing
/// the agent (/accept, /agent, /handback), the hub giving up (/timeout, /wait past maxWait), tickets, and
/// nobody online. English on the reference scenario, Japanese on the retail sample.
/// </summary>
public sealed class ChatHubTests
{
    // Tuesday 14:00 in Tokyo: the retail sample's support queue is open.
    const string RetailOpen = "2026-11-24T14:00:00+09:00";
    const string ReferenceTimeout = "bot: Sorry, no agent can take your chat right now. Please try again later.";
    const string RetailTimeout = "bot: 大変お待たせして申し訳ございません。ただいま担当者がおつなぎできません。折り返しのお電話、またはメールでご連絡いたします。ご希望の方法をお選びください。";
    const string RetailWaiting = "bot: ただいま1番目にお待ちいただいています（目安：約2分）。このままお待ちください。";

    static string Retail => RepoPaths.Combine("scenarios", "retail-support");

    static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    static async Task<CliRun> ChatAsync(string input, params string[] args)
    {
        var run = await CliHarness.RunWithInputAsync(input, ["chat", .. args]);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        return run;
    }

    /// <summary>The lines after the echo of <paramref name="typed"/>, up to the next echo.</summary>
    static string[] After(CliRun run, string typed)
    {
        var lines = Lines(run.Out);
        var at = Array.IndexOf(lines, "you: " + typed);
        Assert.True(at >= 0, $"'{typed}' was not echoed\n{run}");
        return [.. lines.Skip(at + 1).TakeWhile(l => !l.StartsWith("you: ", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task A_customer_who_writes_while_waiting_is_told_their_place_again()
    {
        var run = await ChatAsync("talk to a person\nare you there?\n", Scenarios.Reference);

        Assert.Equal(
        [
            "bot: You are number 1 in the queue (about 2 min). Thanks for waiting.",
            "note: (relayed to the queue entry; no agent has accepted yet)",
        ], After(run, "are you there?"));
    }

    [Fact]
    public async Task An_accepting_agent_writes_and_the_bot_stays_silent()
    {
        var run = await ChatAsync("talk to a person\n/accept\n/agent Hi, this is Sam.\nthanks Sam\n", Scenarios.Reference);

        Assert.Equal(
        [
            "hub: an agent accepted the conversation",
            "note: the agent has the conversation and the bot stays silent: /agent <text> writes as the agent, /handback [flow] [key=value …] returns it to the bot",
        ], After(run, "/accept"));
        Assert.Equal(["agent: Hi, this is Sam."], After(run, "/agent Hi, this is Sam."));
        Assert.Equal(["note: (relayed to the human agent; the bot stays silent)"], After(run, "thanks Sam"));
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task An_agent_who_writes_first_accepts_the_waiting_conversation()
    {
        var run = await ChatAsync("talk to a person\n/agent Hello\n/accept\n", Scenarios.Reference);

        var lines = After(run, "/agent Hello");
        Assert.Equal("hub: an agent accepted the conversation", lines[0]);
        Assert.Equal("agent: Hello", lines[^1]);
        Assert.Contains("error: /accept: an agent has already accepted the conversation; /handback returns it to the bot", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_commands_without_a_handoff_are_refused_and_the_chat_goes_on()
    {
        var run = await ChatAsync("/agent Hello\n/accept\n/timeout\n/handback\nhello\n", Scenarios.Reference);

        Assert.Equal(
            """
            error: /agent: the bot has the conversation; an agent writes only after a handoff
            error: /accept: no customer is waiting for an agent (the bot has the conversation)
            error: /timeout: no customer is waiting for an agent (the bot has the conversation)
            error: the conversation is not with an agent
            """, run.Error.ReplaceLineEndings("\n").Trim());
        Assert.DoesNotContain(Lines(run.Out), l => l.StartsWith("agent:", StringComparison.Ordinal) || l.StartsWith("hub:", StringComparison.Ordinal));
        Assert.Equal("bot: Hi! I'm the support assistant. What can I help you with?", After(run, "hello")[0]);
    }

    [Fact]
    public async Task Timeout_sends_the_waiting_customer_down_on_timeout_and_the_bot_answers_again()
    {
        var run = await ChatAsync("talk to a person\n/timeout\nhello\n", Scenarios.Reference);

        Assert.Equal(["hub: the queue timed out: nobody accepted (handoff.status failed, reason timeout)", ReferenceTimeout], After(run, "/timeout"));
        Assert.Equal("bot: Hi! I'm the support assistant. What can I help you with?", After(run, "hello")[0]);
    }

    [Fact]
    public async Task Waiting_past_max_wait_times_out_and_a_shorter_wait_does_not()
    {
        // The reference queue's maxWait is 10m: 9m keeps the customer waiting, 2m more gives up.
        var run = await ChatAsync("talk to a person\n/wait 9m\nstill there?\n/wait 2m\n", Scenarios.Reference, "--clock", "2026-11-24T10:00:00Z");

        var first = After(run, "/wait 9m");
        Assert.Single(first);
        Assert.StartsWith("note: the clock is now 2026-11-24T10:09:", first[0], StringComparison.Ordinal);
        Assert.Equal("bot: You are number 1 in the queue (about 2 min). Thanks for waiting.", After(run, "still there?")[0]);
        var second = After(run, "/wait 2m");
        Assert.StartsWith("note: the clock is now 2026-11-24T10:11:", second[0], StringComparison.Ordinal);
        Assert.Equal(["hub: nobody accepted within maxWait 10m (handoff.status failed, reason timeout)", ReferenceTimeout], second[1..]);
    }

    [Fact]
    public async Task An_accepted_conversation_never_times_out()
    {
        var run = await ChatAsync("talk to a person\n/accept\n/wait 1h\n/timeout\n", Scenarios.Reference);

        Assert.Single(After(run, "/wait 1h"));
        Assert.DoesNotContain(ReferenceTimeout, Lines(run.Out));
        Assert.Contains("error: /timeout: an agent has already accepted the conversation", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_agent_online_the_handoff_takes_on_timeout_at_once()
    {
        var run = await ChatAsync("talk to a person\n/accept\nhello\n", Scenarios.Reference, "--agents-online", "0");

        Assert.Equal(
        [
            ReferenceTimeout,
            "handoff: queue support; rule asked-for-human; within hours; NO AGENT ONLINE (onTimeout, no agent handoff); shared orderNumber=null; transcript 1 messages",
        ], After(run, "talk to a person"));
        Assert.Contains("error: /accept: no customer is waiting for an agent", run.Error, StringComparison.Ordinal);
        Assert.Equal("bot: Hi! I'm the support assistant. What can I help you with?", After(run, "hello")[0]);
    }

    [Fact]
    public async Task Japanese_timeout_then_a_callback_ticket_line()
    {
        var run = await ChatAsync("人と話したいです\n/timeout\n折り返しの電話を希望\n090-1234-5678\n午前\n", Retail, "--clock", RetailOpen);

        Assert.Equal(RetailWaiting, After(run, "人と話したいです")[2]);
        Assert.Equal(RetailTimeout, After(run, "/timeout")[1]);
        Assert.Equal(
        [
            "ticket: callback CB-HQ34T; contact 09012345678; time 午前; queue support",
            "bot: 承知いたしました。午前に担当者からお電話いたします（受付番号 CB-HQ34T）。",
        ], After(run, "午前"));
    }

    [Fact]
    public async Task Japanese_with_no_agent_online()
    {
        var run = await ChatAsync("担当者と話したい\n", Retail, "--clock", RetailOpen, "--agents-online", "0");

        var lines = After(run, "担当者と話したい");
        Assert.Equal(RetailTimeout, lines[0]);
        Assert.Equal("suggestions: [1] 折り返しの電話を希望  [2] メールでの連絡を希望", lines[1]);
        Assert.StartsWith("handoff: queue support; rule asked-for-human; within hours; NO AGENT ONLINE (onTimeout, no agent handoff); offer callback, email;", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(RetailWaiting, lines);
    }

    [Fact]
    public async Task Japanese_handback_into_a_flow_with_values()
    {
        var run = await ChatAsync("担当者と話したい\n/agent お待たせいたしました。\n/handback csat feedback.topic=返品\n/say 5\n", Retail, "--clock", RetailOpen);

        Assert.Equal(
        [
            "hub: the agent returned the conversation to the bot into flow csat with feedback.topic=\"返品\"",
            "bot: 返品の件、担当者からのご案内は以上です。",
            "bot: 本日の対応はいかがでしたか？5（とても満足）〜1（不満）でお選びください。",
            "suggestions: [1] 5  [2] 4  [3] 3  [4] 2  [5] 1",
        ], After(run, "/handback csat feedback.topic=返品"));
        Assert.Equal(["bot: ご評価ありがとうございます。またのご利用をお待ちしております。"], After(run, "/say 5"));
    }

    [Theory]
    [InlineData("ja", "error: /handback: フロー 'csatt' はありません", "error: /handback: 変数 'feedback.score' の型は integer です。\"high\" は代入できません")]
    [InlineData("en", "error: /handback: unknown flow 'csatt'", "error: /handback: variable 'feedback.score' is of type integer; \"high\" does not fit")]
    public async Task A_refused_handback_is_explained_in_the_cli_language_and_the_agent_keeps_the_chat(string language, string unknownFlow, string wrongType)
    {
        var run = await ChatAsync("担当者と話したい\n/accept\n/handback csatt feedback.score=high\nまだですか\n", Retail, "--clock", RetailOpen, "--lang", language);

        Assert.Equal([unknownFlow, wrongType], Lines(run.Error));
        Assert.Empty(After(run, "/handback csatt feedback.score=high"));
        Assert.Equal(["note: (relayed to the human agent; the bot stays silent)"], After(run, "まだですか"));
    }

    [Fact]
    public async Task State_says_whether_the_customer_waits_or_an_agent_has_the_conversation()
    {
        var run = await ChatAsync("/state\ntalk to a person\n/state\n/accept\n/state\n", Scenarios.Reference, "--clock", "2026-11-24T10:00:00Z");

        var hubLines = Lines(run.Out).Where(l => l.StartsWith("hub: waiting in queue", StringComparison.Ordinal) || l == "hub: an agent has the conversation").ToList();
        Assert.Equal(2, hubLines.Count);
        Assert.Matches(@"^hub: waiting in queue support since 2026-11-24T10:00:\d\dZ$", hubLines[0]);
        Assert.Equal("hub: an agent has the conversation", hubLines[1]);
        // The first /state, before the handoff: the bot has the conversation, so the hub has nothing to say.
        Assert.DoesNotContain(After(run, "/state"), l => l.StartsWith("hub:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_lists_the_hub_commands_and_the_plain_line_prefixes()
    {
        var run = await ChatAsync("/help\n", Scenarios.Reference);

        var help = string.Join("\n", After(run, "/help"));
        foreach (var command in new[] { "/accept", "/agent <text>", "/timeout", "/wait <duration>", "/handback [flow] [key=value …]", "--agents-online" })
            Assert.Contains(command, help, StringComparison.Ordinal);
        foreach (var prefix in new[] { "you:", "bot:", "agent:", "handoff:", "hub:", "ticket:" })
            Assert.Contains(prefix, help, StringComparison.Ordinal);
    }
}
