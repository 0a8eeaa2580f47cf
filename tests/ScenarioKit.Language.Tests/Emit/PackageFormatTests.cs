using ScenarioKit.Model;

namespace ScenarioKit.Language.Tests.Emit;

public class PackageFormatTests
{
    static ScenarioModel Minimal() => new(
        1, "demo", "1.0.0", "ja-JP", null, RecognizerSettings.Default, null, null,
        [], [], [], [], [], HandoffDef.Empty, ["scenario.yaml"]);

    [Fact]
    public void Write_then_read_round_trips_and_is_byte_identical()
    {
        var package = PackageFormat.CreatePackage(Minimal(), "0.1.0");
        var first = PackageFormat.Write(package);
        var second = PackageFormat.Write(PackageFormat.CreatePackage(Minimal(), "0.1.0"));
        Assert.Equal(first, second);

        var read = PackageFormat.Read(new MemoryStream(first));
        Assert.Equal(package.Manifest, read.Manifest);
        Assert.StartsWith("sha256:", read.Manifest.ContentHash, StringComparison.Ordinal);
        Assert.Equal("demo", read.Model.Id);
    }

    [Fact]
    public void Pii_marks_survive_the_package_round_trip()
    {
        var compiled = ScenarioCompiler.CompileText("""
            scenarioKit: 1
            id: demo
            version: 1.0.0
            locale: ja-JP
            variables:
              contact.phone: { type: string, pii: true }
              contact.time: { type: string, pii: false }
              order.number: string
            """);
        Assert.Empty(compiled.Diagnostics);
        var bytes = PackageFormat.Write(compiled.Package!);

        var read = PackageFormat.Read(new MemoryStream(bytes)).Model.Variables.ToDictionary(v => v.Name, v => v.Pii);
        Assert.Equal(new Dictionary<string, bool> { ["contact.phone"] = true, ["contact.time"] = false, ["order.number"] = false }, read);
    }

    [Fact]
    public void Written_model_is_the_one_the_manifest_hashed()
    {
        var package = PackageFormat.CreatePackage(Minimal(), "0.1.0");
        var bytes = PackageFormat.Write(package);
        Assert.Equal(PackageFormat.ComputeContentHash(PackageFormat.SerializeModel(package.Model)), package.Manifest.ContentHash);
        Assert.Equal(package.Manifest, PackageFormat.Read(new MemoryStream(bytes)).Manifest);
    }

    [Fact]
    public void A_package_built_around_another_model_writes_that_model_not_bytes_kept_for_the_first()
    {
        var original = PackageFormat.CreatePackage(Minimal(), "0.1.0");
        var changed = original.Model with { Id = "other" };
        // Not through CreatePackage: Write must serialise this model itself, not reuse the bytes kept for the original.
        var package = new ScenarioPackage(original.Manifest with { ContentHash = PackageFormat.ComputeContentHash(PackageFormat.SerializeModel(changed)) }, changed);
        var read = PackageFormat.Read(new MemoryStream(PackageFormat.Write(package)));
        Assert.Equal("other", read.Model.Id);
    }

    [Fact]
    public void Corrupt_bytes_are_rejected_with_InvalidDataException()
    {
        Assert.Throws<InvalidDataException>(() => PackageFormat.Read(new MemoryStream([1, 2, 3, 4])));
    }
}
