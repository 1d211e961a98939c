# Reference outputs of qicharts2 for tests/unit/reports/test_spc_reference.py.
#
# Makes seeded random series over every chart type diffuse draws (run, i, mr, t, g,
# c, p, pp, u, up, xbar, s), 1 to 3,000 points long, with parts (one-point parts
# among them), a frozen baseline (at and beyond the last point too), excluded points
# (a part's first point, whole parts, a whole baseline), a multiplier, moving-range
# screening off, a fixed centre line, y.neg = FALSE, several values per period
# (aggregated with mean, median or sum; subgroups for xbar and s), constant and zero
# baselines, decimal grids whose mean equals data points, and ties. It runs qicharts2
# on each and writes the inputs and its outputs, gzipped, to qicharts2.json.gz next to
# this script. README.md here gives the exact commands.

suppressPackageStartupMessages({
  library(qicharts2)
  library(jsonlite)
})
stopifnot(packageVersion("qicharts2") == "0.8.1")
set.seed(20261206)

series <- list()

# Run lengths (runs of equal numbers, [value, count]) keep the centre and limit
# lines, constant within a part for most charts, small in the stored file.
rle_list <- function(v) {
  v[!is.finite(v)] <- NA
  r <- rle(ifelse(is.na(v), "NA", sprintf("%.15g", v)))
  vals <- suppressWarnings(as.numeric(r$values))
  lapply(seq_along(vals), function(k) list(if (is.na(vals[k])) NULL else vals[k], r$lengths[k]))
}

add <- function(id, chart, y, n = NULL, x = NULL, part = NULL, freeze = NULL,
                exclude = NULL, multiply = 1, screen = TRUE, cl = NULL,
                y.neg = TRUE, agg = "mean") {
  stopifnot(is.null(part) || is.null(freeze))  # qicharts2 ignores freeze with parts
  if (is.null(x)) x <- seq_along(y)
  options(qic.screenedmr = screen)
  d <- tryCatch(
    qic(x, y, n = n, chart = chart, part = part, freeze = freeze,
        exclude = exclude, multiply = multiply, return.data = TRUE,
        cl = if (is.null(cl)) NA * 1 else cl, y.neg = y.neg, agg.fun = agg),
    error = function(e) NULL)
  if (is.null(d)) return(invisible(NULL))
  stopifnot(nrow(d) == length(unique(x)))
  first <- !duplicated(d$part)
  # Per part: useful points, longest run and its limit, crossings and their
  # minimum, runs signal (NA when no point is useful).
  runs <- lapply(which(first), function(k) {
    with(d[k, ], c(n.useful, longest.run, longest.run.max, n.crossings,
                   n.crossings.min, as.integer(runs.signal)))
  })
  array <- function(v) if (is.null(v)) NULL else I(v)  # [19], not 19, in JSON
  s <- list(id = id, chart = chart, y = y, n = n,
            x = if (anyDuplicated(x)) array(x) else NULL, agg = agg,
            part = array(part), freeze = freeze, exclude = array(exclude),
            multiply = multiply, screen = screen, cl_fixed = cl, y_neg = y.neg,
            cl = rle_list(d$cl), lcl = rle_list(d$lcl), ucl = rle_list(d$ucl),
            signal = array(which(d$sigma.signal)), runs = runs)
  if (chart %in% c("mr", "t", "xbar", "s") || anyDuplicated(x))
    s$value <- ifelse(is.finite(d$y), signif(d$y, 15), NA)
  if (chart == "i") {
    m <- qic(x, y, chart = "mr", part = part, freeze = freeze, exclude = exclude,
             multiply = multiply, return.data = TRUE, agg.fun = agg)
    s$mr <- list(y = ifelse(is.finite(m$y), signif(m$y, 15), NA),
                 cl = rle_list(m$cl), ucl = rle_list(m$ucl))
  }
  series[[length(series) + 1]] <<- s
  invisible(NULL)
}

# Lengths from 1 to 3,000, most of them short, as monthly and weekly series are.
len_of <- function() {
  u <- runif(1)
  if (u < 0.04) return(sample(1:6, 1))
  if (u < 0.55) return(sample(7:40, 1))
  if (u < 0.85) return(sample(41:150, 1))
  if (u < 0.97) return(sample(151:600, 1))
  sample(601:3000, 1)
}

# Positions after which a new part starts (qicharts2's `part`): 1..n-1, and
# sometimes n - 1 (a one-point last part) or two neighbours (a one-point middle part).
cuts <- function(n) {
  if (n < 3) return(NULL)
  k <- sample(1:min(3, n - 1), 1)
  p <- sort(unique(sample(1:(n - 1), k)))
  u <- runif(1)
  if (u < 0.15) p <- sort(unique(c(p, n - 1)))
  else if (u < 0.3 && n > 4) { m <- sample(2:(n - 2), 1); p <- sort(unique(c(p, m - 1, m))) }
  p
}

# Excluded points: a few at random, a part's first point, a whole part, or the
# whole frozen baseline.
excl <- function(n, part = NULL, freeze = NULL) {
  starts <- c(1, part + 1)
  ends <- c(part, n)
  u <- runif(1)
  e <- if (u < 0.45) sample(n, min(n, sample(1:3, 1)))
  else if (u < 0.65) sample(starts, 1)
  else if (u < 0.85) { k <- sample(seq_along(starts), 1); starts[k]:ends[k] }
  else if (!is.null(freeze)) seq_len(min(freeze, n))
  else sample(n, min(n, sample(1:3, 1)))
  sort(unique(e))
}

# Random options for one series of `len` periods.
variant <- function(id, chart, y, n = NULL, x = NULL, multiply = 1, agg = "mean",
                    cl = NULL) {
  len <- if (is.null(x)) length(y) else length(unique(x))
  part <- NULL
  freeze <- NULL
  exclude <- NULL
  u <- runif(5)
  if (u[1] < 0.35) part <- cuts(len)
  else if (u[1] < 0.55) freeze <- if (runif(1) < 0.2) len + sample(0:3, 1) else sample(1:max(1, len), 1)
  if (u[2] < 0.4) exclude <- excl(len, part, freeze)
  screen <- u[3] > 0.2
  y.neg <- u[4] > 0.15
  add(id, chart, y, n, x, part, freeze, exclude, multiply, screen, cl, y.neg, agg)
}

shifted <- function(len, mean, sd) {
  at <- sample(seq(0, len), 1)
  size <- sample(c(0, 0, 1, 2), 1) * sd * sample(c(-1, 1), 1)
  rnorm(len, mean, sd) + c(rep(0, at), rep(size, len - at))
}

# Values on a decimal grid whose mean is often one of them (7.1, 7.2, 7.3 ...), and
# constant or zero stretches at the start.
grid <- function(len) {
  centre <- sample(c(7.2, 0.3, 12.45, 100.1, 0.07), 1)
  step <- centre / sample(c(72, 3, 249, 1001, 7), 1)
  round(centre + step * sample(-2:2, len, replace = TRUE, prob = c(1, 2, 6, 2, 1)), 4)
}
with_flat_start <- function(y, value = y[1]) {
  k <- sample(1:max(1, length(y) %/% 3), 1)
  y[seq_len(k)] <- value
  y
}

measurement <- function(len) {
  u <- runif(1)
  if (u < 0.2) return(grid(len))
  if (u < 0.3) return(with_flat_start(round(shifted(len, 50, 4), 1)))
  if (u < 0.4) return(rpois(len, 3))  # ties
  y <- round(shifted(len, 100, 8), sample(0:2, 1))
  if (runif(1) < 0.25 && len > 2) y[sample(len, 1)] <- y[1] + 60  # screening
  y
}

k <- 0
next_id <- function(chart) { k <<- k + 1; sprintf("%s-%04d", chart, k) }

# --- run, I, MR -------------------------------------------------------------
for (i in 1:110) {
  len <- len_of()
  chart <- sample(c("run", "i", "mr"), 1, prob = c(0.35, 0.45, 0.2))
  y <- measurement(len)
  cl <- if (runif(1) < 0.08) round(mean(y) + rnorm(1, 0, sd(c(y, y + 1))), 1) else NULL
  variant(next_id(chart), chart, y, multiply = if (runif(1) < 0.1) 10 else 1, cl = cl)
}
for (i in 1:230) {
  chart <- sample(c("run", "i", "mr"), 1)
  variant(next_id(chart), chart, measurement(len_of()))
}
# Several values per period, aggregated.
for (i in 1:45) {
  len <- len_of()
  x <- sort(sample(seq_len(len), len + sample(1:max(1, len %/% 2), 1), replace = TRUE))
  x <- match(x, unique(x))
  chart <- sample(c("run", "i", "mr", "t", "g"), 1)
  y <- switch(chart, t = round(rexp(length(x), 1 / 20), 1) + 0.1,
              g = rgeom(length(x), 0.05), measurement(length(x)))
  variant(next_id(chart), chart, y, x = x, agg = sample(c("mean", "median", "sum"), 1))
}
# The four disagreements of an earlier diffuse, as qicharts2 gives them.
add("i-all-excluded-part", "i", c(10, 12, 11, 30, 13, 9, 11, 12), part = 3, exclude = 1:3)
add("i-frozen-all-excluded", "i", c(10, 12, 11, 30, 13, 9, 11, 12), freeze = 2, exclude = 1:2)
add("mr-excluded", "mr", c(10, 12, 30, 11, 13), exclude = 3)
add("i-mr-excluded", "i", c(10, 12, 30, 11, 13), exclude = 3)
add("i-constant-unscreened", "i", c(rep(5, 6), 9, 1, 5), freeze = 6, screen = FALSE)
add("i-mean-bit", "i", c(7.1, 7.3, 7.2, 7.2, 7.2, 7.2, 7.2, 7.3, 7.1))

# --- t and g: rare events -----------------------------------------------------
for (i in 1:80) {
  len <- len_of()
  y <- switch(sample(1:3, 1), round(rexp(len, 1 / runif(1, 2, 90)), 1) + 0.1,
              rexp(len, 1 / 30) + 0.01, with_flat_start(round(rexp(len, 0.1), 0) + 1))
  variant(next_id("t"), "t", y, cl = if (runif(1) < 0.05) 2.5 else NULL)
}
for (i in 1:80) {
  len <- len_of()
  y <- switch(sample(1:3, 1), rgeom(len, runif(1, 0.005, 0.3)),
              with_flat_start(rgeom(len, 0.1), 0), rpois(len, 30))
  variant(next_id("g"), "g", y, cl = if (runif(1) < 0.05) 20 else NULL)
}

# --- c ------------------------------------------------------------------------
for (i in 1:70) {
  len <- len_of()
  lambda <- sample(c(0.3, 0.8, 3, 12, 40), 1)
  y <- rpois(len, lambda * c(rep(1, len %/% 2), rep(runif(1, 0.6, 1.6), len - len %/% 2)))
  if (runif(1) < 0.15) y <- with_flat_start(y, 0)
  variant(next_id("c"), "c", y, cl = if (runif(1) < 0.05) 4 else NULL)
}

# --- p, pp, u, up -------------------------------------------------------------
ratio <- function(chart, len) {
  big <- chart %in% c("pp", "up")
  n <- if (big) sample(2000:40000, len, replace = TRUE) else sample(1:300, len, replace = TRUE)
  if (chart %in% c("p", "pp")) {
    p <- plogis(rnorm(len, qlogis(runif(1, 0.02, 0.6)), if (big) 0.15 else 0.05))
    y <- rbinom(len, n, p)
    u <- runif(1)
    if (u < 0.1) y <- with_flat_start(y, 0)
    else if (u < 0.15) { k <- sample(1:len, 1); y[1:k] <- n[1:k] }
  } else {
    n <- if (big) n else round(runif(len, 5, 400), 1)
    y <- rpois(len, n * runif(1, 0.002, 0.3) * exp(rnorm(len, 0, if (big) 0.2 else 0.02)))
    if (runif(1) < 0.1) y <- with_flat_start(y, 0)
  }
  list(y = y, n = n)
}
for (chart in c("p", "pp", "u", "up")) {
  for (i in 1:55) {
    d <- ratio(chart, len_of())
    variant(next_id(chart), chart, d$y, d$n,
            multiply = sample(c(1, 100, 1000), 1),
            cl = if (runif(1) < 0.05) mean(d$y / d$n) else NULL)
  }
}
# Several numerator/denominator pairs in one period: summed.
for (i in 1:12) {
  chart <- sample(c("p", "u"), 1)
  len <- sample(5:60, 1)
  x <- sort(sample(seq_len(len), 2 * len, replace = TRUE))
  x <- match(x, unique(x))
  d <- ratio(chart, length(x))
  variant(next_id(chart), chart, d$y, d$n, x = x)
}

# --- xbar and s: subgroups ----------------------------------------------------
for (i in 1:80) {
  chart <- sample(c("xbar", "s"), 1)
  len <- min(len_of(), 400)
  sizes <- switch(sample(1:3, 1), rep(sample(2:8, 1), len),
                  sample(2:10, len, replace = TRUE), sample(1:6, len, replace = TRUE))
  x <- rep(seq_len(len), sizes)
  y <- round(rnorm(length(x), 50, 5) + rep(c(rep(0, len %/% 2), rep(rnorm(1, 0, 3), len - len %/% 2)), sizes), 1)
  variant(next_id(chart), chart, y, x = x, cl = if (runif(1) < 0.05) 50 else NULL)
}

out <- file.path(dirname(normalizePath(sub("^--file=", "",
  grep("^--file=", commandArgs(FALSE), value = TRUE)))), "qicharts2.json.gz")
meta <- list(generator = "tests/data/spc_reference/generate.R",
             qicharts2 = as.character(packageVersion("qicharts2")),
             R = paste(R.version$major, R.version$minor, sep = "."))
con <- gzfile(out, "w")
writeLines(toJSON(list(meta = meta, series = series), auto_unbox = TRUE,
                  digits = I(15), na = "null", null = "null"), con)
close(con)
cat(length(series), "series written to", out, "\n")
