using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Commands;

/// <summary><c>scenariokit chat</c> with redirected input: one line per turn, plain you:/bot: output.</summary>
public sealed class ChatCommandTests
{
    static string[] Lines(CliRun run) => run.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    static async Task<CliRun> ChatAsync(string input, params string[] args)
    {
        var run = await CliHarness.RunWithInputAsync(input, ["chat", .. args]);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        return run;
    }

    [Fact]
    public async Task The_reference_conversation_reads_as_a_transcript()
    {
        var run = await ChatAsync("hello\n1\nabc\n12345678\ntalk to a person\n", Scenarios.Reference);

        Assert.Equal(
        [
            "note: reference-support 1.0.0 (en-US)",
            "you: hello",
            "bot: Hi! I'm the support assistant. What can I help you with?",
            "suggestions: [1] Order status  [2] Returns  [3] Talk to a person",
            "you: 1 → Order status",
            "bot: Sure. Please type your 8-digit order number.",
            "you: abc",
            "bot: That doesn't look like an 8-digit order number. Please try again (retry 1 of 2).",
            "you: 12345678",
            "bot: Order 12345678: shipped on 2 June, arriving 5 June.",
            "bot: Anything else?",
            "you: talk to a person",
            "handoff: queue support; rule asked-for-human; within hours; shared orderNumber=\"12345678\"; transcript 10 messages",
            "bot: Connecting you to an agent",
            "bot: You are number 1 in the queue (about 2 min). Thanks for waiting.",
            "hub: queue support: position 1, about 2 min, 1 agent online; waiting for an agent",
            "note: the customer waits for an agent and the bot only repeats the waiting notice: /accept, /agent <text>, /timeout, /wait <duration>, /handback [flow] [key=value …]; /reset starts over",
        ], Lines(run));
    }

    [Fact]
    public async Task After_a_handoff_the_bot_is_silent_until_handed_back()
    {
        var run = await ChatAsync("talk to a person\n/accept\nare you there?\n/handback\nhello\n", Scenarios.Reference);

        var lines = Lines(run);
        var question = Array.IndexOf(lines, "you: are you there?");
        Assert.Equal("note: (relayed to the human agent; the bot stays silent)", lines[question + 1]);
        Assert.Equal("hub: the agent returned the conversation to the bot", lines[question + 3]);
        Assert.Equal("bot: Hi! I'm the support assistant. What can I help you with?", lines[Array.IndexOf(lines, "you: hello") + 1]);
    }

    [Fact]
    public async Task Events_fire_proactive_rules_with_typed_values_and_move_the_stage()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("journey.yaml");
        File.WriteAllText(path, Scenarios.Journey);

        var run = await ChatAsync("/event page_dwell seconds=10\n/event page_dwell seconds=35\n/event page_dwell seconds=40\n1\n/event cart_updated total=5000\n/state\n", path);

        var lines = Lines(run);
        Assert.Equal("bot: いらっしゃいませ。", lines[1]);
        Assert.Equal("you: /event page_dwell seconds=35", lines[3]);
        Assert.Equal("bot: サイズ選びでお困りですか？", lines[4]);
        Assert.Equal("suggestions: [1] サイズの相談  [2] 在庫の確認", lines[5]);
        // once-per-conversation: the third dwell says nothing.
        Assert.Equal("you: /event page_dwell seconds=40", lines[6]);
        Assert.Equal("you: 1 → サイズの相談", lines[7]);
        Assert.Equal("bot: サイズ表をご覧ください。", lines[8]);
        Assert.StartsWith("state: conversation chat-1; stage cart;", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Japanese_full_width_input_mocks_and_state()
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, "ja-JP");

        var run = await ChatAsync("荷物が届かないんだけど\n１２３４５６７８\n/state\n", folder, "--mock", "lookupOrder=配達済み");

        var lines = Lines(run);
        Assert.Contains("note: mocked actions: lookupOrder", lines);
        Assert.Contains("bot: ご注文番号（8桁）を教えてください。", lines);
        Assert.Contains("bot: ご注文 12345678 は「配達済み」です。", lines);
        Assert.Contains("state: conversation chat-1; stage after_purchase; active flow (none); waiting step (none); turn 3; fallback streak 0; with agent no", lines);
        Assert.Contains("var: order.number = \"12345678\"", lines);
        Assert.Contains("var: order.status = \"配達済み\"", lines);
    }

    [Theory]
    [InlineData("2026-11-24T10:00:00+09:00", "within hours")]
    [InlineData("2026-11-28T10:00:00+09:00", "OUT OF HOURS (no agent handoff)")]
    [InlineData("2026-11-24T20:00:00+09:00", "OUT OF HOURS (no agent handoff)")]
    public async Task The_clock_option_decides_queue_hours(string clock, string expected)
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, "ja-JP");

        var run = await ChatAsync("担当者と話したい\n", folder, "--clock", clock);

        var handoff = Assert.Single(Lines(run), l => l.StartsWith("handoff:", StringComparison.Ordinal));
        Assert.StartsWith("handoff: queue support; rule asked-for-human; " + expected, handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_starts_a_new_conversation_with_the_welcome()
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, "en-US");

        var run = await ChatAsync("where is my order\n/reset\n/state\n", folder);

        var lines = Lines(run);
        Assert.Equal(2, lines.Count(l => l == "bot: Hello! I can check on an order for you, or put you through to a person."));
        Assert.Contains("note: new conversation chat-2", lines);
        Assert.Contains(lines, l => l.StartsWith("state: conversation chat-2; stage browsing; active flow (none);", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quit_stops_reading()
    {
        var run = await ChatAsync("/quit\nhello\n", Scenarios.Reference);

        Assert.DoesNotContain("you: hello", Lines(run));
    }

    [Fact]
    public async Task Mistyped_commands_are_explained_and_the_chat_goes_on()
    {
        var run = await ChatAsync("/evnt page_dwell\n/event page_dwell seconds\nhello\n", Scenarios.Reference);

        Assert.Contains("error: unknown command /evnt; /help lists the commands", run.Error, StringComparison.Ordinal);
        Assert.Contains("error: 'seconds' is not key=value", run.Error, StringComparison.Ordinal);
        Assert.Contains("bot: Hi! I'm the support assistant. What can I help you with?", Lines(run));
    }

    [Theory]
    [InlineData("--mock", "lookupOrder")]
    [InlineData("--mock", "noSuchAction=1")]
    [InlineData("--mock", "lookupOrder={broken")]
    [InlineData("--clock", "next tuesday")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        var run = await CliHarness.RunWithInputAsync("hello\n", "chat", Scenarios.Reference, option, value);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--agents-online", "-1", "--agents-online must be 0 or more.")]
    [InlineData("--agents-online", "some", "some")]
    [InlineData("--lang", "fr", "fr")]
    public async Task Bad_hub_and_language_options_are_parse_errors(string option, string value, string named)
    {
        var run = await CliHarness.RunWithInputAsync("hello\n", "chat", Scenarios.Reference, option, value);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task A_scenario_with_errors_is_not_started()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.yaml");
        File.WriteAllText(path, Scenarios.Broken);

        var run = await CliHarness.RunWithInputAsync("hello\n", "chat", path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error SK3002", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SK3101", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot be loaded", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_built_package_chats_like_its_source()
    {
        using var temp = new TempDirectory();
        await CliHarness.RunAsync("build", Scenarios.Reference, "-o", temp.Path);

        var fromPackage = await ChatAsync("hello\n", temp.Combine("reference-support-1.0.0.skpkg"));
        var fromSource = await ChatAsync("hello\n", Scenarios.Reference);

        Assert.Equal(fromSource.Out, fromPackage.Out);
    }

    [Fact]
    public async Task Runtime_errors_point_into_the_yaml_as_the_user_named_it()
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, "en-US");
        File.WriteAllText(Path.Combine(folder, "scenario.yaml"), File.ReadAllText(Path.Combine(folder, "scenario.yaml"))
            .Replace("return orders.get(number) ?? null;", "throw new Error('order table offline');", StringComparison.Ordinal));

        var run = await ChatAsync("where is my order\n12345678\n", folder);

        Assert.Matches(@"warning: .*/shop/flows/order_status\.yaml\(13,9\): .*order table offline", run.Error);
        Assert.Contains("bot: I couldn't find order 12345678. Please check the number.", Lines(run));
    }

    [Fact]
    public async Task Reset_keeps_user_scoped_variables_and_drops_the_rest()
    {
        var run = await ChatAsync("where is my order\n12345678\n/reset\n/state\n", Scenarios.Reference);

        var lines = Lines(run);
        var reset = Array.IndexOf(lines, "note: new conversation chat-2");
        Assert.True(reset > 0, run.ToString());
        Assert.Contains("var: profile.lastOrderNumber = \"12345678\"", lines[reset..]);
        Assert.Contains("var: order.number = (unset)", lines[reset..]);
    }
}
