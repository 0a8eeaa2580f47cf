using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.Server.Endpoints;

/// <summary>A client mistake, answered with <see cref="Status"/> and <c>{"error":{"code","message"}}</c>.</summary>
internal sealed class RequestException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}

internal static class HttpHelpers
{
    public static bool IsLoopback(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        if (ip is null) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return IPAddress.IsLoopback(ip);
    }

    public static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(BotFrameworkJson.SerializeToUtf8Bytes(ErrorResponse.Create(code, message)), context.RequestAborted);
    }

    public static async Task WriteJsonAsync<T>(HttpContext context, int status, T value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(BotFrameworkJson.SerializeToUtf8Bytes(value), context.RequestAborted);
    }

    /// <summary>Writes <c>{"activities":[...],"watermark"?}</c> from activities already serialized when they were logged.</summary>
    public static async Task WriteActivitySetAsync(HttpContext context, IReadOnlyList<ReadOnlyMemory<byte>> activities, string? watermark)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("activities");
            foreach (var a in activities) writer.WriteRawValue(a.Span, skipInputValidation: true);
            writer.WriteEndArray();
            if (watermark is not null) writer.WriteString("watermark", watermark);
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Reads a JSON object body: 415 for another content type, 413 over <paramref name="limit"/> bytes, 400 for
    /// malformed JSON or a non-object (naming the line and byte position). <paramref name="optional"/> allows an empty body.
    /// </summary>
    public static async Task<JsonDocument?> ReadJsonObjectAsync(HttpContext context, long limit, bool optional = false)
    {
        var request = context.Request;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 || !string.IsNullOrEmpty(request.ContentType))
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                || !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || type.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true))
            {
                if (optional && request.ContentLength is 0 or null && string.IsNullOrEmpty(request.ContentType)) return null;
                throw new RequestException(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                    $"Content-Type must be application/json, not '{request.ContentType}'.");
            }
        }
        if (request.ContentLength > limit)
            throw new RequestException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is {request.ContentLength} bytes; the limit is {limit}.");

        // Sized from Content-Length when given (bounded by the limit), grown otherwise; never past the limit.
        var buffer = new byte[Math.Max(1, (int)Math.Min(request.ContentLength ?? 4096, limit + 1))];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                    throw new RequestException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is larger than the limit of {limit} bytes.");
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1));
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
            if (read == 0) break;
            length += read;
        }
        if (length > limit)
            throw new RequestException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is larger than the limit of {limit} bytes.");
        if (length == 0)
        {
            if (optional) return null;
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "The request body is empty; a JSON object is required.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument",
                $"The body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}).");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", $"The body must be a JSON object, not {Describe(kind)}.");
        }
        return document;
    }

    /// <summary>Deserializes an activity, requiring a non-empty string <c>type</c> (§1) and naming the first bad field.</summary>
    public static Activity ReadActivity(JsonDocument document)
    {
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var type) && !TryGetCaseInsensitive(root, "type", out type))
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "activity.type is required.");
        if (type.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(type.GetString()))
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", $"activity.type must be a non-empty string, not {Describe(type.ValueKind)}.");
        try
        {
            return BotFrameworkJson.Deserialize<Activity>(root) ?? throw new JsonException("null activity");
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) ? "the activity" : "activity" + e.Path.TrimStart('$');
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", $"{field} has the wrong type or format.");
        }
    }

    static bool TryGetCaseInsensitive(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "missing",
    };
}
