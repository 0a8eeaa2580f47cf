using CsCheck;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Issues;

/// <summary>Tests that change the process's current folder: they run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(WorkingFolderCollection), DisableParallelization = true)]
public sealed class WorkingFolderCollection;

/// <summary>
/// Issue 10 item 1: <c>scenariokit test tests</c> crashed with a stack trace in a folder whose fixture
/// (<c>common.test.yaml</c>) named no scenario. No input and no working folder may crash any command:
/// every command (not <c>serve</c>) runs against generated layouts, absolute and relative paths and
/// different working folders (a deleted one included) and must end with exit code 0, 1 or 2 and print
/// no stack trace. The CLI reads the process's current folder, so the commands run in process with
/// <see cref="Environment.CurrentDirectory"/> set, in a collection that runs alone.
/// </summary>
[Collection(nameof(WorkingFolderCollection))]
public sealed class Issue10_AnyFolderLayoutTests
{
    enum ScenarioKind { Valid, Broken, BadYaml, Missing }
    enum Folder { Root, Scenario, Tests, Outside, Deleted }
    enum Target { ScenarioFolder, ScenarioFile, TestsFolder, TestFile, Nothing, NoSuchPath }

    sealed record Layout(ScenarioKind Scenario, string FolderName, string FixtureName, bool FixtureNamesScenario, bool TestScenarioAbsolute,
        Folder WorkingFolder, Target Target, bool Absolute, int Command)
    {
        public override string ToString() =>
            $"{Commands[Command]} {Target} ({(Absolute ? "absolute" : "relative")}) from {WorkingFolder}; scenario {Scenario} in '{FolderName}', fixture {FixtureName}{(FixtureNamesScenario ? " with scenario" : "")}";
    }

    static readonly string[] Commands = ["validate", "build", "test", "chat", "graph", "new"];

    static readonly Gen<Layout> Layouts =
        from scenario in Gen.Enum<ScenarioKind>()
        from folderName in Gen.OneOf("shop", "通販 サポート", "a.b", "-dash")
        from fixtureName in Gen.OneOf("common.test.yaml", "fixtures.test.yaml", "common.yaml")
        from fixtureNamesScenario in Gen.Bool
        from testScenarioAbsolute in Gen.Bool
        from workingFolder in Gen.Enum<Folder>()
        from target in Gen.Enum<Target>()
        from absolute in Gen.Bool
        from command in Gen.Int[0, Commands.Length - 1]
        select new Layout(scenario, folderName, fixtureName, fixtureNamesScenario, testScenarioAbsolute, workingFolder, target, absolute, command);

    [Fact]
    public async Task Every_command_in_any_layout_and_working_folder_ends_with_an_exit_code_and_no_stack_trace()
    {
        var original = Environment.CurrentDirectory;
        try
        {
            await Layouts.SampleAsync(async layout => await RunAsync(layout), iter: 60, threads: 1);
        }
        finally
        {
            Environment.CurrentDirectory = original;
        }
    }

    [Fact]
    public async Task Test_tests_from_inside_a_scenario_folder_with_a_common_fixture_runs()
    {
        var original = Environment.CurrentDirectory;
        try
        {
            var run = await RunAsync(new Layout(ScenarioKind.Valid, "shop", "common.test.yaml", FixtureNamesScenario: false, TestScenarioAbsolute: false,
                Folder.Scenario, Target.TestsFolder, Absolute: false, Command: Array.IndexOf(Commands, "test")));
            Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
            Assert.Contains("PASSED: 1 passed", run.Out, StringComparison.Ordinal);
        }
        finally
        {
            Environment.CurrentDirectory = original;
        }
    }

    static async Task<CliRun> RunAsync(Layout layout)
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("root");
        var scenarioFolder = Path.Combine(root, layout.FolderName);
        var tests = Path.Combine(scenarioFolder, "tests");
        var scenarioFile = Path.Combine(scenarioFolder, "scenario.yaml");
        Directory.CreateDirectory(tests);
        switch (layout.Scenario)
        {
            case ScenarioKind.Valid: File.WriteAllText(scenarioFile, Scenarios.Journey); break;
            case ScenarioKind.Broken: File.WriteAllText(scenarioFile, Scenarios.Broken); break;
            case ScenarioKind.BadYaml: File.WriteAllText(scenarioFile, "scenarioKit: 1\nid: [x\n\tflows:"); break;
        }
        File.WriteAllText(Path.Combine(tests, layout.FixtureName),
            (layout.FixtureNamesScenario ? "scenario: ../scenario.yaml\n" : "") + "clock: \"2026-01-05T10:00:00+09:00\"\nsetup:\n  - event: page_view\n");
        var testFile = Path.Combine(tests, "size.test.yaml");
        File.WriteAllText(testFile,
            $"scenario: \"{(layout.TestScenarioAbsolute ? scenarioFile : "../scenario.yaml")}\"\ninclude: {layout.FixtureName}\n"
            + "tests:\n  - name: サイズ\n    steps:\n      - user: サイズの相談\n      - bot: サイズ表をご覧ください。\n");

        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var deleted = temp.Combine("deleted");
        Directory.CreateDirectory(deleted);
        Environment.CurrentDirectory = layout.WorkingFolder switch
        {
            Folder.Root => root,
            Folder.Scenario => scenarioFolder,
            Folder.Tests => tests,
            Folder.Outside => outside,
            _ => deleted,
        };
        if (layout.WorkingFolder == Folder.Deleted) Directory.Delete(deleted);

        string? Arg(string path) => layout.Absolute || layout.WorkingFolder == Folder.Deleted ? path : Path.GetRelativePath(Environment.CurrentDirectory, path);
        var target = layout.Target switch
        {
            Target.ScenarioFolder => Arg(scenarioFolder),
            Target.ScenarioFile => Arg(scenarioFile),
            Target.TestsFolder => Arg(tests),
            Target.TestFile => Arg(testFile),
            Target.NoSuchPath => Arg(Path.Combine(root, "missing")),
            _ => null,
        };
        string[] args = Commands[layout.Command] switch
        {
            "build" => ["build", .. Optional(target), "-o", Arg(Path.Combine(root, "out"))!],
            "new" => ["new", target is null ? layout.FolderName : Path.GetFileName(target) is { Length: > 0 } n ? n : layout.FolderName, "--id", "x", "-o", Arg(root)!],
            var command => [command, .. Optional(target)],
        };
        var run = await CliHarness.RunWithInputAsync("サイズの相談\nhello\n", args);

        Assert.True(run.ExitCode is ExitCodes.Success or ExitCodes.Failed or ExitCodes.Usage, $"{layout}: {run}");
        Assert.False(run.ToString().Contains("   at ", StringComparison.Ordinal), $"{layout}: a stack trace was printed\n{run}");
        Assert.False(run.ToString().Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase), $"{layout}: {run}");
        return run;
    }

    static string[] Optional(string? arg) => arg is null ? [] : [arg];
}
