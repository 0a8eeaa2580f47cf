using System.Globalization;

namespace ScenarioKit.Language;

/// <summary>Limits and language of a compile. The defaults suit production scenarios; every limit is a guard against hostile or broken input.</summary>
public sealed record CompileOptions
{
    public static readonly CompileOptions Default = new();

    /// <summary>Language of diagnostic messages: "en" or "ja". Defaults to the current UI culture.</summary>
    public string Language { get; init; } = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ja" ? "ja" : "en";

    /// <summary>Largest accepted file, in bytes.</summary>
    public long MaxFileBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Most YAML files in a scenario folder.</summary>
    public int MaxFiles { get; init; } = 2000;

    /// <summary>Most YAML nodes after alias expansion, over all files (billion-laughs guard).</summary>
    public int MaxNodes { get; init; } = 1_000_000;

    /// <summary>Deepest nesting of mappings and lists.</summary>
    public int MaxDepth { get; init; } = 200;

    /// <summary>JSON Schema text to validate against instead of the embedded schema/scenario.schema.json (tests).</summary>
    internal string? SchemaOverride { get; init; }

    /// <summary>Test hook: throw inside the compiler to prove the internal-error boundary.</summary>
    internal bool ThrowForTesting { get; init; }
}
