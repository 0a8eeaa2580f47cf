using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Tests.Commands;

public sealed class BuildCommandTests
{
    [Fact]
    public async Task Writes_id_version_skpkg_and_prints_the_manifest()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");

        var run = await CliHarness.RunAsync("build", Scenarios.Reference, "-o", output);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var file = Path.Combine(output, "reference-support-1.0.0.skpkg");
        var package = PackageFormat.ReadFile(file);
        Assert.Equal("reference-support", package.Manifest.Id);
        Assert.Contains("id       reference-support", run.Out, StringComparison.Ordinal);
        Assert.Contains("version  1.0.0", run.Out, StringComparison.Ordinal);
        Assert.Contains("hash     " + package.Manifest.ContentHash, run.Out, StringComparison.Ordinal);
        Assert.Matches("^sha256:[0-9a-f]{64}$", package.Manifest.ContentHash);
    }

    [Fact]
    public async Task An_output_that_is_a_file_fails_with_a_message_naming_the_package_and_the_file()
    {
        using var temp = new TempDirectory();
        var notAFolder = temp.Combine("出力.txt");
        File.WriteAllText(notAFolder, "kept");

        var run = await CliHarness.RunAsync("build", Scenarios.Reference, "-o", notAFolder);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains($"Cannot write {Path.Combine(notAFolder, "reference-support-1.0.0.skpkg")}: {notAFolder} is a file, not a folder", run.Error, StringComparison.Ordinal);
        Assert.Equal("kept", File.ReadAllText(notAFolder));
    }

    [Fact]
    public async Task Building_twice_gives_byte_identical_packages()
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, "ja-JP");

        var first = await CliHarness.RunAsync("build", folder, "-o", temp.Combine("a"));
        var second = await CliHarness.RunAsync("build", folder, "-o", temp.Combine("b"));

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Equal(File.ReadAllBytes(temp.Combine("a", "shop-0.1.0.skpkg")), File.ReadAllBytes(temp.Combine("b", "shop-0.1.0.skpkg")));
    }

    [Fact]
    public async Task Errors_stop_the_build_and_write_nothing()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.yaml");
        File.WriteAllText(path, Scenarios.Broken);

        var run = await CliHarness.RunAsync("build", path, "-o", temp.Combine("out"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error SK3002", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("no package written", run.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public async Task Warnings_are_shown_and_can_stop_the_build()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("warn.yaml");
        File.WriteAllText(path, Scenarios.WarningOnly);

        var lenient = await CliHarness.RunAsync("build", path, "-o", temp.Combine("a"));
        var strict = await CliHarness.RunAsync("build", path, "-o", temp.Combine("b"), "--warnaserror");

        Assert.Equal(ExitCodes.Success, lenient.ExitCode);
        Assert.Contains("warning SK3101", lenient.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("a", "warn-1.0.0.skpkg")));
        Assert.Equal(ExitCodes.Failed, strict.ExitCode);
        Assert.False(Directory.Exists(temp.Combine("b")));
    }

    [Fact]
    public async Task A_missing_path_is_a_usage_error()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("build", temp.Combine("nope"), "-o", temp.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
    }
}
