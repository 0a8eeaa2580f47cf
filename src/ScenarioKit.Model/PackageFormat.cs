using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScenarioKit.Model;

/// <summary>
/// Reads and writes <c>.skpkg</c> files: a zip holding <c>manifest.json</c> and <c>scenario.json</c>.
/// Entries carry a fixed timestamp and a fixed order so the same model always gives the same bytes.
/// </summary>
public static class PackageFormat
{
    public const string FileExtension = ".skpkg";
    const string ManifestEntry = "manifest.json";
    const string ModelEntry = "scenario.json";

    // INVARIANT: no clock, no machine name in a package: two builds of one input are byte-identical.
    static readonly DateTimeOffset FixedTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // The bytes CreatePackage hashed, so that Write stores them instead of serialising the model again.
    // Keyed by reference (a ConditionalWeakTable never calls Equals) and safe because a model is immutable:
    // `with` makes a new reference. The entry dies with the model; nobody outside this class sees the array.
    static readonly ConditionalWeakTable<ScenarioModel, byte[]> SerializedModels = new();

    public static byte[] SerializeModel(ScenarioModel model) => JsonSerializer.SerializeToUtf8Bytes(model, JsonOptions);

    public static string ComputeContentHash(byte[] modelBytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(modelBytes));

    /// <summary>Builds the package for a model; the manifest is derived from the model and the compiler version.</summary>
    public static ScenarioPackage CreatePackage(ScenarioModel model, string compilerVersion)
    {
        var bytes = SerializeModel(model);
        SerializedModels.AddOrUpdate(model, bytes);
        var manifest = new PackageManifest(model.Id, model.Version, model.LanguageVersion, compilerVersion, ComputeContentHash(bytes), model.Locale);
        return new ScenarioPackage(manifest, model);
    }

    public static byte[] Write(ScenarioPackage package)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            AddEntry(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(package.Manifest, JsonOptions));
            AddEntry(zip, ModelEntry, SerializedModels.TryGetValue(package.Model, out var bytes) ? bytes : SerializeModel(package.Model));
        }
        return buffer.ToArray();
    }

    public static void WriteFile(ScenarioPackage package, string path) => File.WriteAllBytes(path, Write(package));

    /// <summary>Reads a package and checks its content hash.</summary>
    /// <exception cref="InvalidDataException">The file is not a ScenarioKit package or is corrupt.</exception>
    public static ScenarioPackage Read(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var manifestBytes = ReadEntry(zip, ManifestEntry);
            var modelBytes = ReadEntry(zip, ModelEntry);
            var manifest = JsonSerializer.Deserialize<PackageManifest>(manifestBytes, JsonOptions)
                ?? throw new InvalidDataException("manifest.json is empty.");
            var hash = ComputeContentHash(modelBytes);
            if (!string.Equals(hash, manifest.ContentHash, StringComparison.Ordinal))
                throw new InvalidDataException($"content hash mismatch: manifest says {manifest.ContentHash}, scenario.json is {hash}.");
            var model = JsonSerializer.Deserialize<ScenarioModel>(modelBytes, JsonOptions)
                ?? throw new InvalidDataException("scenario.json is empty.");
            return new ScenarioPackage(manifest, model);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidDataException($"not a valid ScenarioKit package: {e.Message}", e);
        }
    }

    public static ScenarioPackage ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    static void AddEntry(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = FixedTimestamp;
        using var s = entry.Open();
        s.Write(content);
    }

    static byte[] ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"the package has no {name}.");
        if (entry.Length > 256L * 1024 * 1024) throw new InvalidDataException($"{name} is larger than 256 MiB.");
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }
}
