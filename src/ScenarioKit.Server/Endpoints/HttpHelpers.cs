using System.Buffers;
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

    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteBytesAsync(context, status, BotFrameworkJson.SerializeToUtf8Bytes(ErrorResponse.Create(code, message)));

    public static Task WriteJsonAsync<T>(HttpContext context, int status, T value) =>
        WriteBytesAsync(context, status, BotFrameworkJson.SerializeToUtf8Bytes(value));

    // With its length known, Kestrel sends a body in one write; without, chunk framing and a terminating chunk.
    static async Task WriteBytesAsync(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    static ReadOnlySpan<byte> ActivitiesStart => "{\"activities\":["u8;
    static ReadOnlySpan<byte> WatermarkStart => "],\"watermark\":"u8;

    /// <summary>
    /// Writes <c>{"activities":[...],"watermark"?}</c> from activities already serialized when they were logged,
    /// straight into the response's buffers and with its <c>Content-Length</c>.
    /// </summary>
    public static async Task WriteActivitySetAsync(HttpContext context, IReadOnlyList<ReadOnlyMemory<byte>> activities, string? watermark)
    {
        var encodedWatermark = watermark is null ? default : JsonEncodedText.Encode(watermark, BotFrameworkJson.Options.Encoder);
        var length = ActivitiesStart.Length + Math.Max(0, activities.Count - 1) + 2;
        foreach (var a in activities) length += a.Length;
        if (watermark is not null) length += WatermarkStart.Length - 1 + encodedWatermark.EncodedUtf8Bytes.Length + 2;

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = length;
        var body = response.BodyWriter;
        body.Write(ActivitiesStart);
        for (var i = 0; i < activities.Count; i++)
        {
            if (i > 0) body.Write(","u8);
            body.Write(activities[i].Span);
        }
        if (watermark is null) body.Write("]"u8);
        else
        {
            body.Write(WatermarkStart);
            body.Write("\""u8);
            body.Write(encodedWatermark.EncodedUtf8Bytes);
            body.Write("\""u8);
        }
        body.Write("}"u8);
        await body.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Reads a JSON body: 415 for another content type, 413 over <paramref name="limit"/> bytes, 400 when empty
    /// unless <paramref name="optional"/>. <see cref="ParseObject"/> then gives 400 for malformed JSON or a non-object.
    /// </summary>
    /// <param name="pool">Where the buffer comes from (and growing it goes back to), for a caller that gives it back when
    /// done; null for a buffer of its own, which a <see cref="JsonDocument"/> parsed from it may keep.</param>
    static async Task<ArraySegment<byte>?> ReadBodyAsync(HttpContext context, long limit, bool optional, ArrayPool<byte>? pool = null)
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
        // A rented buffer may be larger than asked for: capacity is what the loop may fill.
        var capacity = Math.Max(1, (int)Math.Min(request.ContentLength ?? 4096, limit + 1));
        var buffer = Allocate(capacity);
        var length = 0;
        try
        {
            while (true)
            {
                // Kestrel never gives more than Content-Length, so a body read to its declared length is whole: no second
                // buffer and no read that only finds the end (every activity posted paid both, docs/performance.md, "Session 8").
                if (length == request.ContentLength) break;
                if (length == capacity)
                {
                    if (length > limit)
                        throw new RequestException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is larger than the limit of {limit} bytes.");
                    capacity = (int)Math.Min((long)capacity * 2, limit + 1);
                    var grown = Allocate(capacity);
                    buffer.AsSpan(0, length).CopyTo(grown);
                    pool?.Return(buffer);
                    buffer = grown;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, capacity - length), context.RequestAborted);
                if (read == 0) break;
                length += read;
            }
            if (length > limit)
                throw new RequestException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is larger than the limit of {limit} bytes.");
            if (length == 0)
            {
                if (optional)
                {
                    pool?.Return(buffer);
                    return null;
                }
                throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "The request body is empty; a JSON object is required.");
            }
        }
        catch
        {
            pool?.Return(buffer);
            throw;
        }

        return new ArraySegment<byte>(buffer, 0, length);

        byte[] Allocate(int size) => pool?.Rent(size) ?? new byte[size];
    }

    public static async Task<JsonDocument?> ReadJsonObjectAsync(HttpContext context, long limit, bool optional = false) =>
        await ReadBodyAsync(context, limit, optional) is { } body ? ParseObject(body) : null;

    /// <summary>
    /// Reads an activity body. The usual case is one hand-written pass straight into <see cref="Activity"/>
    /// (<see cref="ActivityJsonReader"/>); what it declines goes through the serializer, and only a body that fails
    /// that too is parsed again, to name exactly what is wrong (400, see <see cref="ReadActivity"/>). The body's buffer
    /// is pooled: an <see cref="Activity"/> keeps nothing of it (strings are decoded, JSON values copied).
    /// </summary>
    public static async Task<Activity> ReadActivityAsync(HttpContext context, long limit)
    {
        var body = (await ReadBodyAsync(context, limit, optional: false, ArrayPool<byte>.Shared))!.Value;
        try
        {
            if (ActivityJsonReader.TryRead(body, out var usual) && usual is { Type.Length: > 0 }) return usual;
            try
            {
                if (BotFrameworkJson.Deserialize<Activity>(body) is { Type.Length: > 0 } activity) return activity;
            }
            catch (JsonException)
            {
            }
            using var document = ParseObject(body);
            return ReadActivity(document);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body.Array!);
        }
    }

    static JsonDocument ParseObject(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
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
