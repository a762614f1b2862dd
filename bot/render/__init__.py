"""Excel workbooks and PNG images built from summaries and leaderboards (no database): the
summary workbook (`workbook`), the progress chart (`chart`), the leaderboard image
(`leaderboard`), what the images share (`drawing`) and how long each drawing takes (`timing`)."""
