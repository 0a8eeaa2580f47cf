namespace ScenarioKit.Cli.Tests.Support;

/// <summary>Scenarios the CLI tests run against: the benchmark's reference scenario (its texts are fixed by definition) and fresh scaffolds.</summary>
internal static class Scenarios
{
    public static string Reference => RepoPaths.Combine("scenarios", "reference-support");

    /// <summary>Runs <c>scenariokit new</c> into <paramref name="temp"/> and returns the scenario folder.</summary>
    public static async Task<string> ScaffoldAsync(TempDirectory temp, string locale, string name = "shop")
    {
        var run = await CliHarness.RunAsync("new", name, "--locale", locale, "-o", temp.Path);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        return temp.Combine(name);
    }

    /// <summary>A one-file scenario with one error (an unknown variable in a flow) and one warning (an intent with one example).</summary>
    public const string Broken = """
        scenarioKit: 1
        id: broken
        version: 1.0.0
        locale: ja-JP
        variables:
          order.number: { type: string }
        intents:
          order_status:
            examples: ["荷物が届かない"]
        flows:
          order_status:
            trigger: { intent: order_status }
            steps:
              - ask: order.numbr
                prompt: "ご注文番号を教えてください。"
        """;

    /// <summary>A valid one-file scenario whose only finding is a warning (an intent with one example and no pattern).</summary>
    public const string WarningOnly = """
        scenarioKit: 1
        id: warn
        version: 1.0.0
        locale: en-US
        intents:
          hello:
            examples: ["hello"]
        flows:
          hello:
            trigger: { intent: hello }
            steps:
              - say: "Hi!"
        """;

    /// <summary>A journey with a capped proactive nudge and an event-entered stage.</summary>
    public const string Journey = """
        scenarioKit: 1
        id: journey
        version: 1.0.0
        locale: ja-JP
        welcome: "いらっしゃいませ。"
        fallback: "よく分かりませんでした。"
        journey:
          - stage: browsing
            proactive:
              - id: dwell-help
                on: { event: page_dwell, when: "event.seconds >= 30" }
                say: "サイズ選びでお困りですか？"
                suggest: [サイズの相談, 在庫の確認]
                cap: once-per-conversation
          - stage: cart
            entersOn: { event: cart_updated, when: "event.total > 0" }
        intents:
          size:
            examples: ["サイズの相談", "サイズが分からない", "どのサイズがいい"]
            patterns: ['サイズ']
        flows:
          size:
            trigger: { intent: size }
            steps:
              - say: "サイズ表をご覧ください。"
        """;
}
