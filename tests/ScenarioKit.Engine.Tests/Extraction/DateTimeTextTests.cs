using ScenarioKit.Engine.Extraction;
using ScenarioKit.Engine.Text;

namespace ScenarioKit.Engine.Tests.Extraction;

public sealed class DateTimeTextTests
{
    static readonly DateOnly Today = new(2026, 12, 3);

    public static TheoryData<string, string> DatePhrasings() => Table("DatePhrasings.tsv");

    public static TheoryData<string, string> TimePhrasings() => Table("TimePhrasings.tsv");

    [Fact]
    public void The_tables_hold_at_least_150_phrasings()
    {
        Assert.True(DatePhrasings().Count + TimePhrasings().Count >= 150);
        Assert.True(DatePhrasings().Count(row => row.Data.Item2.Length == 0) >= 25, "negative cases");
    }

    [Theory]
    [MemberData(nameof(DatePhrasings))]
    public void Finds_the_dates_a_customer_wrote(string text, string expected) =>
        Assert.Equal(expected, string.Join(',', DateTimeText.FindDates(TextNormalizer.Normalize(text), Today).Select(f => f.Value.ToString("yyyy-MM-dd", null))));

    [Theory]
    [MemberData(nameof(TimePhrasings))]
    public void Finds_the_times_a_customer_wrote(string text, string expected) =>
        Assert.Equal(expected, string.Join(',', DateTimeText.FindTimes(TextNormalizer.Normalize(text)).Select(f => f.Value.ToString("HH:mm", null))));

    [Theory]
    [InlineData("2026-12-20", "1月10日", "2027-01-10")]
    [InlineData("2026-12-20", "12月25日", "2026-12-25")]
    [InlineData("2026-12-20", "12/19", "2027-12-19")]
    [InlineData("2026-12-20", "5日", "2027-01-05")]
    [InlineData("2026-12-20", "来月5日", "2027-01-05")]
    [InlineData("2026-12-20", "来週の月曜", "2026-12-21")]
    [InlineData("2026-12-20", "今週の月曜", "2026-12-14")]
    [InlineData("2026-12-31", "明日", "2027-01-01")]
    [InlineData("2026-12-31", "1日", "2027-01-01")]
    [InlineData("2026-12-31", "12月31日", "2026-12-31")]
    [InlineData("2026-12-31", "Jan 1", "2027-01-01")]
    [InlineData("2026-12-31", "in 2 days", "2027-01-02")]
    [InlineData("2027-01-01", "昨日", "2026-12-31")]
    [InlineData("2026-11-05", "31日", "2026-12-31")]
    [InlineData("2026-03-01", "2/29", "2028-02-29")]
    [InlineData("2027-12-27", "来年の1月5日", "2028-01-05")]
    public void A_date_without_a_year_is_the_next_one_not_in_the_past(string today, string text, string expected) =>
        Assert.Equal(expected, DateTimeText.SingleDate(TextNormalizer.Normalize(text), DateOnly.Parse(today, null))?.ToString("yyyy-MM-dd", null));

    [Fact]
    public void Reports_where_each_value_stands_in_the_text()
    {
        const string text = "予約は12月10日(木)の15時でお願いします";
        var date = Assert.Single(DateTimeText.FindDates(text, Today));
        Assert.Equal("12月10日(木)", text.Substring(date.Start, date.Length));
        var time = Assert.Single(DateTimeText.FindTimes(text));
        Assert.Equal("15時", text.Substring(time.Start, time.Length));
    }

    [Theory]
    [InlineData("明日、12月4日", "2026-12-04")]
    [InlineData("12月4日か5日", null)]
    [InlineData("特になし", null)]
    public void Single_date_is_null_for_none_or_several_different_dates(string text, string? expected) =>
        Assert.Equal(expected, DateTimeText.SingleDate(text, Today)?.ToString("yyyy-MM-dd", null));

    static TheoryData<string, string> Table(string file)
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Extraction", file)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            Assert.True(tab > 0, $"{file}: no tab in '{line}'");
            data.Add(line[..tab], line[(tab + 1)..]);
        }
        return data;
    }
}
