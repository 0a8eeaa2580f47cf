using ScenarioKit.Cli.Console;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Commands;

/// <summary>Gets a package from what the user named: a built <c>.skpkg</c>, or a scenario folder or file compiled on the spot.</summary>
internal static class ScenarioLoader
{
    public static (ScenarioPackage? Package, int ExitCode) Load(CliContext context, string path)
    {
        if (File.Exists(path) && path.EndsWith(PackageFormat.FileExtension, StringComparison.OrdinalIgnoreCase))
            return (PackageFormat.ReadFile(path), ExitCodes.Success);
        if (!File.Exists(path) && !Directory.Exists(path))
            return (null, CommandGuard.Usage(context, $"{path} does not exist."));
        return (null, CommandGuard.Usage(context, $"{path} is not a package ({PackageFormat.FileExtension})."));
    }
}
