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
    public void Corrupt_bytes_are_rejected_with_InvalidDataException()
    {
        Assert.Throws<InvalidDataException>(() => PackageFormat.Read(new MemoryStream([1, 2, 3, 4])));
    }
}
