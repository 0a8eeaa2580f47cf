namespace ScenarioKit.Model;

/// <summary>
/// Identifies a compiled package. <see cref="ContentHash"/> is <c>sha256:</c> + lowercase hex of the
/// scenario model's bytes, so two builds of the same input have the same hash.
/// </summary>
public sealed record PackageManifest(
    string Id,
    string Version,
    int LanguageVersion,
    string CompilerVersion,
    string ContentHash,
    string Locale)
{
    public const string Format = "scenariokit-package/1";
}

public sealed record ScenarioPackage(PackageManifest Manifest, ScenarioModel Model);
