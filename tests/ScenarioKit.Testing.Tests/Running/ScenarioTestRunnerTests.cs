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
