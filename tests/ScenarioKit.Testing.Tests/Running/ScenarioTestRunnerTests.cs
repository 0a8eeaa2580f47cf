using System.Collections.Immutable;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Results;
using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Running;

public class ScenarioTestRunnerTests
{
    static readonly string ShopSuite = Paths.Fixture("shop", "tests", "shop.test.yaml");
    static readonly string ShopAccuracy = Paths.Fixture("shop", "tests", "intents.accuracy.yaml");

    internal static Task<TestRunReport> Run(string file, TestRunOptions? options = null) =>
        ScenarioTestRunner.RunAsync([file], [], options ?? new TestRunOptions(), TestContext.Current.CancellationToken);

    internal static string Describe(TestRunReport report) => string.Join("\n",
        report.Suites.SelectMany(s => s.Diagnostics.Select(d => d.ToString())
            .Concat(s.Tests.Where(t => t.Outcome == TestOutcome.Failed).Select(t => $"{t.Name}: {t.Failure!.ToText()}"))));

    [Fact]
    public async Task The_shop_suite_passes_every_test_and_skips_the_skipped_one()
    {
        var report = await Run(ShopSuite);
        Assert.True(report.Failed == 0 && report.Errors == 0, Describe(report));
        var suite = Assert.Single(report.Suites);
        Assert.Equal(10, suite.Tests.Length);
        Assert.Equal(9, report.Passed);
        var skipped = Assert.Single(suite.Tests, t => t.Outcome == TestOutcome.Skipped);
        Assert.Equal("返品フローは未実装", skipped.SkipReason);
    }

    [Fact]
    public async Task Coverage_counts_what_the_shop_suite_reached_against_the_whole_scenario()
    {
        var report = await Run(ShopSuite);
        var c = Assert.Single(report.Coverage.Scenarios);
        Assert.Equal("fixture-shop", c.ScenarioId);
        string Counts(CoverageKind k) => $"{c[k].Reached}/{c[k].Total}";
        Assert.Equal("3/3", Counts(CoverageKind.Stages));
        Assert.Equal("2/2", Counts(CoverageKind.Flows));
        Assert.Equal("3/3", Counts(CoverageKind.Intents));
        Assert.Equal("1/1", Counts(CoverageKind.ProactiveRules));
        Assert.Equal("2/2", Counts(CoverageKind.HandoffRules));
        // The shop suite plays no agent hub (no queue or agent step): its handoffs get no waiting notice or timeout.
        Assert.Equal("0/2", Counts(CoverageKind.HubPaths));
        Assert.Equal("0/0", Counts(CoverageKind.Tickets));
        // greeting: say; order_status: ask, its onFail handoff, call, its onError say, say, goto.
        Assert.Equal("7/7", Counts(CoverageKind.Steps));
        Assert.Equal(1, c[CoverageKind.ProactiveRules].Items[0].Hits);
    }

    [Fact]
    public async Task Coverage_shows_what_a_filtered_run_did_not_reach()
    {
        var report = await Run(ShopSuite, new TestRunOptions { Filter = "挨拶*" });
        Assert.Equal(["挨拶: こんにちは", "挨拶: hello"], report.Suites.Single().Tests.Select(t => t.Name));
        var c = report.Coverage.Scenarios.Single();
        Assert.Equal(["greeting"], c[CoverageKind.Flows].Items.Where(i => i.Reached).Select(i => i.Name));
        Assert.Equal(0, c[CoverageKind.HandoffRules].Reached);
        Assert.Equal(0, c[CoverageKind.ProactiveRules].Reached);
        Assert.Equal(33.3, Math.Round(c[CoverageKind.Stages].Percent, 1));

        var json = System.Text.Json.JsonDocument.Parse(CoverageWriters.ToJson(report.Coverage)).RootElement.GetProperty("scenarios")[0];
        Assert.Equal(1, json.GetProperty("flows").GetProperty("reached").GetInt32());
        Assert.Equal(2, json.GetProperty("flows").GetProperty("total").GetInt32());
        var html = CoverageWriters.ToHtml(report.Coverage);
        Assert.Contains("<td><code>order_status</code></td><td>0</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html.Replace("https://", "", StringComparison.Ordinal).Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello", 1)]
    [InlineData("HELLO", 1)]
    [InlineData("*担当者へ", 2)]
    [InlineData("no such test", 0)]
    public void Filter_matches_substrings_and_wildcards_ignoring_case(string pattern, int matches)
    {
        var names = new[] { "挨拶: hello", "三回間違えると担当者へ", "二度続けて伝わらなければ担当者へ", "営業時間外" };
        var filter = ScenarioTestRunner.CreateFilter(pattern)!;
        Assert.Equal(matches, names.Count(filter));
    }

    [Fact]
    public async Task Parallel_runs_give_the_same_results_and_coverage_as_a_sequential_run()
    {
        string Fingerprint(TestRunReport r) => string.Join("\n", r.Suites.SelectMany(s => s.Tests)
            .Select(t => $"{t.Name}|{t.Outcome}|{t.Failure?.ToText()}|{string.Join(";", t.RuntimeErrors)}"))
            + CoverageWriters.ToJson(r.Coverage);
        var files = new[] { ShopSuite, Paths.Fixture("Failing", "failing.yaml") };
        var ct = TestContext.Current.CancellationToken;
        var sequential = await ScenarioTestRunner.RunAsync(files, [ShopAccuracy], new TestRunOptions { MaxParallelism = 1 }, ct);
        for (var i = 0; i < 3; i++)
        {
            var parallel = await ScenarioTestRunner.RunAsync(files, [ShopAccuracy], new TestRunOptions { MaxParallelism = 16 }, ct);
            Assert.Equal(Fingerprint(sequential), Fingerprint(parallel));
            Assert.Equal(sequential.Accuracy[0].Utterances.Select(u => (u.Text, u.Actual, u.Confidence)), parallel.Accuracy[0].Utterances.Select(u => (u.Text, u.Actual, u.Confidence)));
        }
    }

    [Fact]
    public async Task The_accuracy_file_is_scored_per_intent_against_its_own_minimum()
    {
        var report = await ScenarioTestRunner.RunAsync([], [ShopAccuracy], new TestRunOptions(), TestContext.Current.CancellationToken);
        var a = Assert.Single(report.Accuracy);
        Assert.Empty(a.Diagnostics);
        Assert.Equal(0.8, a.Threshold);
        Assert.Equal(12, a.Utterances.Length);
        // "none" is expected as no intent (null), and the engine recognises nothing for gibberish.
        Assert.Equal(2, a.Utterances.Count(u => u.Expected is null));
        Assert.True(a.Passed, a.ToText());
        Assert.Equal(a.Utterances.Count(u => u.Correct), (int)Math.Round(a.Accuracy * a.Utterances.Length));
        Assert.Equal(["greeting", "human", "order_status", null], a.Metrics.PerIntent.Select(i => i.Intent));
    }

    [Fact]
    public async Task An_accuracy_file_naming_an_unknown_intent_does_not_run()
    {
        using var dir = new TempDirectory();
        var scenario = Paths.Fixture("shop", "scenario.yaml").Replace("\\", "/", StringComparison.Ordinal);
        var path = dir.Write("x.accuracy.yaml", $"scenario: {scenario}\nutterances:\n  - {{ text: 返品したい, intent: returns }}\n");
        var report = await ScenarioTestRunner.RunAsync([], [path], new TestRunOptions(), TestContext.Current.CancellationToken);
        var a = Assert.Single(report.Accuracy);
        var d = Assert.Single(a.Diagnostics, d => d.IsError);
        Assert.Equal(("SK5101", 3, 28), (d.Id, d.Span.Line, d.Span.Column));
        Assert.False(report.Success);
    }

    [Fact]
    public async Task JUnit_from_a_real_run_parses_and_matches_the_report()
    {
        var ct = TestContext.Current.CancellationToken;
        var report = await ScenarioTestRunner.RunAsync(
            [ShopSuite, Paths.Fixture("Failing", "failing.yaml"), Paths.Fixture("Invalid", "unknown-names.yaml")], [ShopAccuracy], new TestRunOptions(), ct);
        using var dir = new TempDirectory();
        var path = dir.Combine("out", "junit.xml");
        ScenarioKit.Testing.Reporting.JUnitWriter.WriteFile(report, path);
        var doc = System.Xml.Linq.XDocument.Load(path);
        var root = doc.Root!;
        int Attr(System.Xml.Linq.XElement e, string name) => int.Parse((string)e.Attribute(name)!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(10 + 15 + 1 + 1, Attr(root, "tests"));
        Assert.Equal(report.Failed, Attr(root, "failures"));
        Assert.Equal(15, report.Failed);
        Assert.Equal(1, Attr(root, "errors"));
        Assert.Equal(1, Attr(root, "skipped"));
        Assert.Equal(Attr(root, "tests"), doc.Descendants("testcase").Count());
        Assert.Equal(Attr(root, "failures"), doc.Descendants("failure").Count());
        var first = doc.Descendants("failure").First();
        Assert.Matches(@"failing\.yaml\(11,9\): the bot's message does not match$", (string)first.Attribute("message")!);
    }
}

public class FailingFixtureTests
{
    /// <summary>Each deliberately failing test, as "name: file(line,col): message".</summary>
    static string Failures(TestRunReport report) => string.Join("\n", report.Suites.SelectMany(s => s.Tests)
        .Select(t => $"{t.Name}: {Path.GetFileName(t.Failure?.Location.File)}({t.Failure?.Location.Line},{t.Failure?.Location.Column}): {t.Failure?.Message}")) + "\n";

    public static TheoryData<string> Cases() =>
        [.. Directory.GetFiles(Paths.Fixture("Failing"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_deliberately_failing_test_fails_at_the_right_line_with_the_right_message(string name)
    {
        var report = await ScenarioTestRunnerTests.Run(Paths.Fixture("Failing", name + ".yaml"));
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.Passed);
        Assert.NotEqual(0, report.Failed);
        Assert.False(report.Success);
        Golden.Check(Paths.Fixture("Failing", name + ".failures.txt"), Failures(report));
    }

    [Fact]
    public async Task A_failure_shows_expected_and_actual_and_the_conversation_so_far()
    {
        var report = await ScenarioTestRunnerTests.Run(Paths.Fixture("Failing", "failing.yaml"));
        var wrongVar = report.Suites[0].Tests.Single(t => t.Name == "wrong variable value").Failure!;
        Assert.Equal("\"87654321\"", wrongVar.Expected);
        Assert.Equal("\"12345678\"", wrongVar.Actual);
        Assert.Equal(
            ["user: 荷物が届かない", "bot:  ご注文番号（8桁）を教えてください。", "user: 12345678", "bot:  ご注文 12345678 は「発送済み」です。"],
            wrongVar.Conversation);

        var wrongBot = report.Suites[0].Tests.Single(t => t.Name == "wrong bot text").Failure!;
        Assert.Equal(("いらっしゃいませ", "こんにちは！ご用件をどうぞ。"), (wrongBot.Expected, wrongBot.Actual));
        Assert.Equal("bot: いらっしゃいませ", wrongBot.Step);
    }

    [Fact]
    public async Task Issue12_an_unexpected_reply_after_a_user_message_shows_why_recognition_decided_so()
    {
        var report = await ScenarioTestRunnerTests.Run(Paths.Fixture("Failing", "failing.yaml"));
        var tests = report.Suites[0].Tests;
        var fellBack = tests.Single(t => t.Name == "fell back where an intent was expected").Failure!;
        Assert.Equal("recognition of \"例の件はどうなりましたか\": no intent (fallback); threshold 0.50, ambiguity margin 0.05", fellBack.Recognition[0]);
        Assert.Contains("  recognition of \"例の件はどうなりましたか\"", fellBack.ToText(), StringComparison.Ordinal);

        var wrongBot = tests.Single(t => t.Name == "wrong bot text").Failure!;
        Assert.StartsWith("recognition of \"こんにちは\": greeting (1.00)", wrongBot.Recognition[0], StringComparison.Ordinal);
        Assert.Contains(wrongBot.Recognition, l => l.StartsWith("  1. greeting 1.00 by pattern ", StringComparison.Ordinal));
        // A failure about something else (a variable's value) carries no recognition.
        Assert.Empty(tests.Single(t => t.Name == "wrong variable value").Failure!.Recognition);
    }
}

public class InvalidFixtureTests
{
    public static TheoryData<string> Cases() =>
        [.. Directory.GetFiles(Paths.Fixture("Invalid"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    /// <summary>Diagnostics in the CLI text format, with file names only so the golden files do not depend on the checkout path.</summary>
    static string Format(TestRunReport report) => string.Concat(report.Suites.SelectMany(s => s.Diagnostics).Concat(report.Accuracy.SelectMany(a => a.Diagnostics))
        .Select(d => $"{Path.GetFileName(d.Span.File)}({d.Span.Line},{d.Span.Column}): {(d.IsError ? "error" : "warning")} {d.Id}: {d.Message.Replace(Paths.Fixtures, "", StringComparison.Ordinal)}\n"));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_broken_test_or_accuracy_file_is_reported_with_locations_and_nothing_runs(string name)
    {
        var path = Paths.Fixture("Invalid", name + ".yaml");
        // Named accuracy-*.yaml, not *.accuracy.yaml, so `scenariokit test` at the repository root does not pick the broken file up.
        var isAccuracy = name.StartsWith("accuracy-", StringComparison.Ordinal);
        var report = await ScenarioTestRunner.RunAsync(isAccuracy ? [] : [path], isAccuracy ? [path] : [], new TestRunOptions(), TestContext.Current.CancellationToken);
        var diagnostics = isAccuracy ? Assert.Single(report.Accuracy).Diagnostics : Assert.Single(report.Suites).Diagnostics;
        Assert.Contains(diagnostics, d => d.IsError);
        Assert.Empty(report.Suites.SelectMany(s => s.Tests));
        Assert.Empty(report.Accuracy.SelectMany(a => a.Utterances));
        Assert.False(report.Success);
        Assert.All(diagnostics, d => Assert.True(d.Span.Line >= 1 && d.Span.Column >= 1, d.ToString()));
        Golden.Check(Paths.Fixture("Invalid", name + ".diagnostics.txt"), Format(report));
    }

    [Fact]
    public void Every_SK5xxx_diagnostic_has_a_golden_case()
    {
        var golden = string.Concat(Directory.GetFiles(Paths.Fixture("Invalid"), "*.diagnostics.txt").Select(File.ReadAllText));
        foreach (var d in ScenarioKit.Testing.Diagnostics.TestDiagnostics.All)
            Assert.True(golden.Contains($" {d.Id}: ", StringComparison.Ordinal), $"no golden case reports {d.Id}");
    }
}

public class SampleSuiteTests
{
    static readonly string Scenarios = Path.Combine(Paths.Root, "scenarios");

    public static TheoryData<string> Samples() =>
        [.. Directory.GetDirectories(Scenarios).Where(d => Directory.Exists(Path.Combine(d, "tests"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_suite_passes_and_reaches_every_flow_stage_proactive_and_handoff_rule_hub_path_and_ticket(string sample)
    {
        var found = TestFileFinder.Find([Path.Combine(Scenarios, sample)]);
        Assert.NotEmpty(found.TestFiles);
        var report = await ScenarioTestRunner.RunAsync(found.TestFiles, [], new TestRunOptions(), TestContext.Current.CancellationToken);
        Assert.True(report.Success, ScenarioTestRunnerTests.Describe(report));
        var coverage = Assert.Single(report.Coverage.Scenarios);
        foreach (var kind in new[] { CoverageKind.Flows, CoverageKind.Stages, CoverageKind.ProactiveRules, CoverageKind.HandoffRules, CoverageKind.HubPaths, CoverageKind.Tickets })
        {
            var c = coverage[kind];
            Assert.True(c.Reached == c.Total, $"{sample}: {kind} {c.Reached}/{c.Total}; not reached: {string.Join(", ", c.Items.Where(i => !i.Reached).Select(i => i.Name))}");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_accuracy_file_passes_its_threshold_with_at_least_50_utterances(string sample)
    {
        var found = TestFileFinder.Find([Path.Combine(Scenarios, sample)]);
        Assert.NotEmpty(found.AccuracyFiles);
        var report = await ScenarioTestRunner.RunAsync([], found.AccuracyFiles, new TestRunOptions(), TestContext.Current.CancellationToken);
        foreach (var a in report.Accuracy)
        {
            Assert.False(a.HasErrors, string.Join("\n", a.Diagnostics));
            Assert.True(a.Utterances.Length >= 50, $"{a.File}: {a.Utterances.Length} utterances");
            Assert.True(a.Passed, a.ToText());
        }
    }
}
