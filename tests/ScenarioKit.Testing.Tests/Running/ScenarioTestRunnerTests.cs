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
}

public class InvalidFixtureTests
{
    public static TheoryData<string> Cases() =>
        [.. Directory.GetFiles(Paths.Fixture("Invalid"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    /// <summary>Diagnostics in the CLI text format, with file names only so the golden files do not depend on the checkout path.</summary>
    static string Format(TestRunReport report) => string.Concat(report.Suites.SelectMany(s => s.Diagnostics)
        .Select(d => $"{Path.GetFileName(d.Span.File)}({d.Span.Line},{d.Span.Column}): {(d.IsError ? "error" : "warning")} {d.Id}: {d.Message.Replace(Paths.Fixtures, "", StringComparison.Ordinal)}\n"));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_broken_test_file_is_reported_with_locations_and_nothing_runs(string name)
    {
        var report = await ScenarioTestRunnerTests.Run(Paths.Fixture("Invalid", name + ".yaml"));
        var suite = Assert.Single(report.Suites);
        Assert.True(suite.HasErrors);
        Assert.Empty(suite.Tests);
        Assert.False(report.Success);
        Assert.All(suite.Diagnostics, d => Assert.True(d.Span.Line >= 1 && d.Span.Column >= 1, d.ToString()));
        Golden.Check(Paths.Fixture("Invalid", name + ".diagnostics.txt"), Format(report));
    }
}
