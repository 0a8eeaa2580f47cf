using System.Text.Json;
using ScenarioKit.Cli.Commands;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Commands;

public sealed class NewCommandTests
{
    [Theory]
    [InlineData("en-US")]
    [InlineData("ja-JP")]
    public async Task Scaffolds_a_scenario_folder_with_flows_intents_tests_and_schemas(string locale)
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("new", "shop-support", "--locale", locale, "-o", temp.Path);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var folder = temp.Combine("shop-support");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["flows/order_status.yaml", "flows/smalltalk.yaml", "intents/intents.yaml", "scenario.yaml", "tests/intents.accuracy.yaml", "tests/shop-support.test.yaml"],
            files.Where(f => !f.StartsWith(".scenariokit/", StringComparison.Ordinal)));
        var scenario = File.ReadAllText(Path.Combine(folder, "scenario.yaml"));
        Assert.StartsWith("# yaml-language-server: $schema=.scenariokit/scenario.schema.json\n", scenario, StringComparison.Ordinal);
        Assert.Contains("\nid: shop-support\n", scenario, StringComparison.Ordinal);
        Assert.Contains($"\nlocale: {locale}\n", scenario, StringComparison.Ordinal);
        Assert.StartsWith("# yaml-language-server: $schema=../.scenariokit/scenario-part.schema.json\n",
            File.ReadAllText(Path.Combine(folder, "flows", "order_status.yaml")), StringComparison.Ordinal);
        Assert.StartsWith("# yaml-language-server: $schema=../.scenariokit/scenario-test.schema.json\n",
            File.ReadAllText(Path.Combine(folder, "tests", "shop-support.test.yaml")), StringComparison.Ordinal);
        Assert.Contains("Created", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("ja-JP")]
    public async Task The_scaffold_tests_and_accuracy_file_pass_with_full_coverage(string locale)
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, locale);
        var coverage = temp.Combine("coverage");

        var run = await CliHarness.RunAsync("test", folder, "--coverage", coverage);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("PASSED", run.Out, StringComparison.Ordinal);
        Assert.Contains("accuracy file(s) passed", run.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(coverage, "coverage.json")));
        var scenario = Assert.Single(json.RootElement.GetProperty("scenarios").EnumerateArray());
        var categories = scenario.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("percent", out _)).ToList();
        Assert.NotEmpty(categories);
        Assert.All(categories, c => Assert.True(c.Value.GetProperty("percent").GetDouble() == 100, c.Name + " is not fully covered"));
    }

    [Fact]
    public async Task The_schema_copies_are_the_repository_schemas()
    {
        using var temp = new TempDirectory();

        await CliHarness.RunAsync("new", "s", "-o", temp.Path);

        var schemas = Directory.GetFiles(RepoPaths.Combine("schema"), "*.schema.json").Select(Path.GetFileName).ToArray();
        Assert.Contains("scenario.schema.json", schemas);
        Assert.Contains("scenario-part.schema.json", schemas);
        Assert.Contains("scenario-test.schema.json", schemas);
        foreach (var name in schemas)
        {
            var copy = File.ReadAllText(temp.Combine("s", ".scenariokit", name!));
            Assert.Equal(File.ReadAllText(RepoPaths.Combine("schema", name!)), copy);
            using var _ = JsonDocument.Parse(copy);
        }
    }

    [Fact]
    public async Task Japanese_texts_are_written_as_utf8_without_bom()
    {
        using var temp = new TempDirectory();

        await CliHarness.RunAsync("new", "s", "--locale", "ja-JP", "-o", temp.Path);

        var bytes = File.ReadAllBytes(temp.Combine("s", "flows", "order_status.yaml"));
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Contains("ご注文番号（8桁）を教えてください。", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_folder_that_is_not_empty_and_touches_nothing()
    {
        using var temp = new TempDirectory();
        var folder = Directory.CreateDirectory(temp.Combine("shop")).FullName;
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");

        var run = await CliHarness.RunAsync("new", "shop", "-o", temp.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("already exists and is not empty", run.Error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Fills_an_existing_empty_folder()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("shop"));

        var run = await CliHarness.RunAsync("new", "shop", "-o", temp.Path);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.True(File.Exists(temp.Combine("shop", "scenario.yaml")));
    }

    [Fact]
    public async Task A_Japanese_folder_name_needs_an_explicit_id()
    {
        using var temp = new TempDirectory();

        var withoutId = await CliHarness.RunAsync("new", "通販サポート", "--locale", "ja-JP", "-o", temp.Path);
        var withId = await CliHarness.RunAsync("new", "通販サポート", "--locale", "ja-JP", "--id", "shop-support", "-o", temp.Path);

        Assert.Equal(ExitCodes.Usage, withoutId.ExitCode);
        Assert.Contains("--id", withoutId.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, withId.ExitCode);
        Assert.True(File.Exists(temp.Combine("通販サポート", "tests", "通販サポート.test.yaml")));
        Assert.Contains("\nid: shop-support\n", File.ReadAllText(temp.Combine("通販サポート", "scenario.yaml")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--id", "Shop")]
    [InlineData("--id", "1shop")]
    public async Task Rejects_an_invalid_id(string option, string value)
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("new", "shop", option, value, "-o", temp.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.False(Directory.Exists(temp.Combine("shop")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    public async Task Rejects_a_name_that_is_not_a_folder_name(string name)
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("new", name, "-o", temp.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("shop-support", "shop-support")]
    [InlineData("Shop Support", "shop-support")]
    [InlineData("ACME_Telecom 2", "acme-telecom-2")]
    [InlineData("2024-shop", "shop")]
    [InlineData("通販shop", "shop")]
    [InlineData("通販", null)]
    [InlineData("---", null)]
    public void Derives_an_id_from_the_folder_name(string name, string? expected) =>
        Assert.Equal(expected, NewCommand.DeriveId(name));
}
