using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScenarioKit.Insight.Rendering;

/// <summary>The report as JSON for BI tools: the same records the HTML page shows, camelCase, shares as 0..1.</summary>
public static class JsonReportWriter
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Write(InsightReport report) => JsonSerializer.Serialize(report, Options);

    public static InsightReport Read(string json) => JsonSerializer.Deserialize<InsightReport>(json, Options) ?? throw new JsonException("The report is empty.");
}
