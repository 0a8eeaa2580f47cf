using System.Text.Json;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Commands;

public sealed class ValidateCommandTests
{
    static string Write(TempDirectory temp, string name, string yaml)
    {
        var path = temp.Combine(name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public static TheoryData<string> Samples() => [.. Directory.GetDirectories(RepoPaths.Combine("scenarios")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_validates_clean(string sample)
    {
        var run = await CliHarness.RunAsync("validate", RepoPaths.Combine("scenarios", sample));

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal("0 errors, 0 warnings in 1 scenario", run.Out.Trim());
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("ja-JP")]
    public async Task A_new_scaffold_validates_clean_with_warnings_as_errors(string locale)
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, locale);

        var run = await CliHarness.RunAsync("validate", folder, "--warnaserror");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Errors_print_in_compiler_format_with_the_source_line_and_exit_1()
    {
        using var temp = new TempDirectory();
        var path = Write(temp, "broken.yaml", Scenarios.Broken);

        var run = await CliHarness.RunAsync("validate", path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        var lines = run.Stdout.ReplaceLineEndings("\n").Split('\n');
        var error = Array.FindIndex(lines, l => l.Contains("error SK3002", StringComparison.Ordinal));
        Assert.True(error >= 0, run.ToString());
        Assert.Matches(@"broken\.yaml\(14,14\): error SK3002: ", lines[error]);
        Assert.Equal("14 |       - ask: order.numbr", lines[error + 1]);
        Assert.Equal("   |              ^^^^^^^^^^^", lines[error + 2]);
        Assert.Contains(lines, l => l.Contains("warning SK3101", StringComparison.Ordinal));
        Assert.Equal("1 error, 1 warning in 1 scenario", run.Out.Trim());
        Assert.DoesNotContain("error(s)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paths_are_shown_as_given_relative_to_the_current_folder()
    {
        var run = await CliHarness.RunAsync("validate", Scenarios.Reference, "--format", "json");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.True(json.RootElement.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Several_scenarios_give_one_summary()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("validate", Write(temp, "a.yaml", Scenarios.Broken), Write(temp, "b.yaml", Scenarios.WarningOnly), Scenarios.Reference);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("1 error, 2 warnings in 3 scenarios", run.Out.Trim());
    }

    [Fact]
    public async Task Warnings_alone_pass_unless_warnaserror()
    {
        using var temp = new TempDirectory();
        var path = Write(temp, "warn.yaml", Scenarios.WarningOnly);

        var lenient = await CliHarness.RunAsync("validate", path);
        var strict = await CliHarness.RunAsync("validate", path, "--warnaserror");

        Assert.Equal(ExitCodes.Success, lenient.ExitCode);
        Assert.Contains("warning SK3101", lenient.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, strict.ExitCode);
        Assert.Contains("error SK3101", strict.Stdout, StringComparison.Ordinal);
        Assert.Equal("1 error, 0 warnings in 1 scenario", strict.Out.Trim());
    }

    [Fact]
    public async Task Json_is_one_document_with_every_field()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("validate", Write(temp, "broken.yaml", Scenarios.Broken), Scenarios.Reference, "--format", "json");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("success").GetBoolean());
        var diagnostics = json.RootElement.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(2, diagnostics.Count);
        var error = Assert.Single(diagnostics, d => d.GetProperty("id").GetString() == "SK3002");
        Assert.Equal("error", error.GetProperty("severity").GetString());
        Assert.EndsWith("broken.yaml", error.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(14, error.GetProperty("line").GetInt32());
        Assert.Equal(14, error.GetProperty("column").GetInt32());
        Assert.Equal(14, error.GetProperty("endLine").GetInt32());
        Assert.Equal(25, error.GetProperty("endColumn").GetInt32());
        Assert.Contains("order.numbr", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("docs/diagnostics/SK3002.md", error.GetProperty("helpUri").GetString());
        Assert.Contains("1 error, 1 warning in 2 scenarios", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Sarif_is_valid_2_1_0_with_rules_and_locations()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("validate", Write(temp, "broken.yaml", Scenarios.Broken), "--format", "sarif");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        using var sarif = JsonDocument.Parse(run.Stdout);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var runElement = Assert.Single(sarif.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("ScenarioKit", runElement.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
        var rules = runElement.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        var result = Assert.Single(runElement.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "SK3002");
        Assert.Equal("error", result.GetProperty("level").GetString());
        Assert.Equal("SK3002", rules[result.GetProperty("ruleIndex").GetInt32()]);
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.EndsWith("broken.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal(14, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(14, location.GetProperty("region").GetProperty("startColumn").GetInt32());
    }

    [Fact]
    public async Task A_missing_path_is_a_usage_error_and_nothing_is_compiled()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("validate", Scenarios.Reference, temp.Combine("nope"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("nope does not exist", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        Assert.DoesNotContain("   at ", run.Error + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_input_gives_diagnostics_not_a_crash()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("garbage.yaml");
        File.WriteAllBytes(path, [0xFF, 0xFE, 0x00, 0x41, 0x3A, 0x0A, 0x5B]);

        var run = await CliHarness.RunAsync("validate", path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Matches(@"garbage\.yaml\(\d+,\d+\): error SK1\d{3}", run.Stdout);
    }

    [Theory]
    [InlineData("ja", "未定義の変数 'order.numbr' です")]
    [InlineData("en", "unknown variable 'order.numbr'")]
    public async Task Lang_chooses_the_language_of_messages(string language, string expected)
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("validate", Write(temp, "broken.yaml", Scenarios.Broken), "--lang", language);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains(expected, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_needs_at_least_one_path() =>
        Assert.Equal(ExitCodes.Usage, (await CliHarness.RunAsync("validate")).ExitCode);
}
