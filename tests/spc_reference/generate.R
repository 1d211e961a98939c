# Reference outputs of qicharts2 for tests/test_spc_reference.py.
#
# Makes seeded random series over every chart type diffuse draws (run, i, c, p, u,
# pp, up), some with parts, a frozen baseline, excluded points, a multiplier or
# moving-range screening off, and edge cases (one-point parts, constant baselines,
# p-bar of 0), runs qicharts2 on each and writes the inputs and its outputs to
# qicharts2.json next to this script. README.md here gives the exact commands.

suppressPackageStartupMessages({
  library(qicharts2)
  library(jsonlite)
})
stopifnot(packageVersion("qicharts2") == "0.8.1")
set.seed(20240612)

series <- list()

# Positions after which a new part starts (qicharts2's `part`): sorted, 1..n-1.
cuts <- function(n, k) sort(sample(seq(5, n - 5), k))
# Excluded points (1-based): never the first point of a part, so every part keeps
# a baseline point.
excl <- function(n, part = NULL, k = sample(1:2, 1)) {
  candidates <- setdiff(2:n, part + 1)
  sort(sample(candidates, k))
}

add <- function(id, chart, y, n = NULL, part = NULL, freeze = NULL,
                exclude = NULL, multiply = 1, screen = TRUE) {
  stopifnot(is.null(part) || is.null(freeze))  # qicharts2 ignores freeze with parts
  options(qic.screenedmr = screen)
  d <- qic(seq_along(y), y, n = n, chart = chart, part = part, freeze = freeze,
           exclude = exclude, multiply = multiply, return.data = TRUE)
  stopifnot(identical(d$x, seq_along(y)))
  first <- !duplicated(d$part)
  # Per part: useful points, longest run and its limit, crossings and their
  # minimum, runs signal (NA when no point is useful).
  runs <- lapply(which(first), function(k) {
    with(d[k, ], c(n.useful, longest.run, longest.run.max, n.crossings,
                   n.crossings.min, as.integer(runs.signal)))
  })
  array <- function(v) if (is.null(v)) NULL else I(v)  # [19], not 19, in JSON
  s <- list(id = id, chart = chart, y = y, n = n, part = array(part),
            freeze = freeze, exclude = array(exclude), multiply = multiply,
            screen = screen, cl = d$cl, lcl = d$lcl, ucl = d$ucl,
            signal = as.integer(d$sigma.signal), runs = runs)
  if (chart == "i" && is.null(exclude)) {
    # The moving-range chart; qicharts2 and diffuse pair excluded points
    # differently, so only series without exclusions carry it.
    m <- qic(seq_along(y), y, chart = "mr", part = part, freeze = freeze,
             multiply = multiply, return.data = TRUE)
    s$mr <- list(y = m$y, cl = m$cl, ucl = m$ucl)
  }
  series[[length(series) + 1]] <<- s
}

# Random options: parts or a freeze (not both), exclusions, and the multiplier.
variant <- function(id, chart, y, n = NULL, multiply = 1, screen = TRUE) {
  len <- length(y)
  part <- NULL
  freeze <- NULL
  exclude <- NULL
  u <- runif(3)
  if (u[1] < 0.3) part <- cuts(len, sample(1:2, 1))
  else if (u[1] < 0.5) freeze <- sample(seq(6, len - 4), 1)
  if (u[2] < 0.35) exclude <- excl(len, part)
  add(id, chart, y, n, part, freeze, exclude, multiply, screen)
}

shifted <- function(len, mean, sd) {
  at <- sample(seq(len %/% 3, len - 3), 1)
  size <- sample(c(0, 0, 1, 2), 1) * sd * sample(c(-1, 1), 1)
  rnorm(len, mean, sd) + c(rep(0, at), rep(size, len - at))
}

# --- run charts ---------------------------------------------------------------
for (k in 1:16) {
  len <- sample(12:40, 1)
  y <- if (k %% 3 == 0) rpois(len, 4) else round(shifted(len, 20, 3), 1)
  variant(sprintf("run-%02d", k), "run", y)
}
add("run-onepoint-last", "run", round(rnorm(20, 10, 2), 1), part = 19)
add("run-freeze-1", "run", rpois(15, 3), freeze = 1)
add("run-constant", "run", c(rep(7, 10), rpois(10, 7)), freeze = 10)

# --- I charts -----------------------------------------------------------------
for (k in 1:30) {
  len <- sample(12:40, 1)
  y <- round(shifted(len, 100, 8), 2)
  if (k %% 4 == 0) y[sample(len, 1)] <- y[1] + sample(c(-1, 1), 1) * 60  # screening
  variant(sprintf("i-%02d", k), "i", y, multiply = if (k %% 10 == 0) 10 else 1,
          screen = k %% 5 != 0)
}
y <- round(rnorm(24, 50, 5), 2)
add("i-onepoint-last", "i", y, part = 23)
add("i-onepoint-middle", "i", y, part = c(10, 11))
add("i-freeze-1", "i", y, freeze = 1)
add("i-freeze-2-one-included", "i", y, freeze = 2, exclude = 2)
add("i-constant-baseline", "i", c(rep(50, 8), round(rnorm(12, 50, 3), 2)), freeze = 8)
add("i-constant-part", "i", c(round(rnorm(12, 50, 3), 2), rep(44, 8)), part = 12)
# A baseline that is not constant but whose screened moving ranges are all zero:
# qicharts2 draws zero-width limits.
add("i-screened-to-zero", "i", c(5, 5, 5, 5, 5, 5, 10, 6, 4, 5, 7, 5), freeze = 7)
add("i-screened-to-zero-off", "i", c(5, 5, 5, 5, 5, 5, 10, 6, 4, 5, 7, 5),
    freeze = 7, screen = FALSE)

# --- c charts -----------------------------------------------------------------
for (k in 1:14) {
  len <- sample(12:40, 1)
  lambda <- sample(c(0.8, 3, 12, 40), 1)
  y <- rpois(len, lambda * c(rep(1, len %/% 2), rep(runif(1, 0.6, 1.6), len - len %/% 2)))
  variant(sprintf("c-%02d", k), "c", y)
}
add("c-onepoint-last", "c", rpois(20, 6), part = 19)
add("c-zero-baseline", "c", c(rep(0, 6), rpois(10, 2)), freeze = 6)

# --- p and Laney p' charts ----------------------------------------------------
for (k in 1:18) {
  len <- sample(12:40, 1)
  n <- sample(20:300, len, replace = TRUE)
  p <- plogis(qlogis(runif(1, 0.05, 0.6)) + c(rep(0, len %/% 2), rep(rnorm(1, 0, 0.4), len - len %/% 2)))
  variant(sprintf("p-%02d", k), "p", rbinom(len, n, p), n,
          multiply = if (k %% 2) 100 else 1)
}
n <- sample(30:80, 20, replace = TRUE)
add("p-onepoint-last", "p", rbinom(20, n, 0.2), n, part = 19)
add("p-zero-baseline", "p", c(rep(0, 6), rbinom(14, n[7:20], 0.05)), n, freeze = 6)
add("p-all-one", "p", n, n)

for (k in 1:18) {
  len <- sample(12:40, 1)
  n <- sample(2000:40000, len, replace = TRUE)
  p <- plogis(rnorm(len, qlogis(runif(1, 0.05, 0.4)), 0.15))
  variant(sprintf("pp-%02d", k), "pp", rbinom(len, n, p), n,
          multiply = if (k %% 2) 100 else 1, screen = k %% 4 != 0)
}
n <- sample(5000:9000, 20, replace = TRUE)
y <- rbinom(20, n, 0.1)
add("pp-onepoint-last", "pp", y, n, part = 19)
add("pp-onepoint-middle", "pp", y, n, part = c(9, 10))
add("pp-freeze-1", "pp", y, n, freeze = 1)
add("pp-constant-baseline", "pp", c(rep(500, 6), y[7:20]), c(rep(5000, 6), n[7:20]), freeze = 6)
add("pp-zero-baseline", "pp", c(rep(0, 6), y[7:20]), n, freeze = 6)

# --- u and Laney u' charts ----------------------------------------------------
for (k in 1:14) {
  len <- sample(12:40, 1)
  n <- round(runif(len, 20, 400), 1)
  rate <- runif(1, 0.01, 0.5) * c(rep(1, len %/% 2), rep(runif(1, 0.6, 1.5), len - len %/% 2))
  variant(sprintf("u-%02d", k), "u", rpois(len, n * rate), n,
          multiply = if (k %% 2) 1000 else 1)
}
n <- round(runif(20, 50, 300), 1)
add("u-onepoint-last", "u", rpois(20, n * 0.1), n, part = 19)
add("u-zero-baseline", "u", c(rep(0, 5), rpois(15, n[6:20] * 0.05)), n, freeze = 5)

for (k in 1:14) {
  len <- sample(12:40, 1)
  n <- round(runif(len, 5000, 50000))
  rate <- exp(rnorm(len, log(runif(1, 0.002, 0.05)), 0.2))
  variant(sprintf("up-%02d", k), "up", rpois(len, n * rate), n,
          multiply = if (k %% 2) 1000 else 1, screen = k %% 4 != 0)
}
n <- round(runif(20, 8000, 20000))
y <- rpois(20, n * 0.01)
add("up-onepoint-last", "up", y, n, part = 19)
add("up-freeze-1", "up", y, n, freeze = 1)
add("up-constant-baseline", "up", c(rep(90, 5), y[6:20]), c(rep(9000, 5), n[6:20]), freeze = 5)
add("up-zero-baseline", "up", c(rep(0, 5), y[6:20]), n, freeze = 5)

out <- file.path(dirname(normalizePath(sub("^--file=", "",
  grep("^--file=", commandArgs(FALSE), value = TRUE)))), "qicharts2.json")
meta <- list(generator = "tests/spc_reference/generate.R",
             qicharts2 = as.character(packageVersion("qicharts2")),
             R = paste(R.version$major, R.version$minor, sep = "."))
writeLines(toJSON(list(meta = meta, series = series), auto_unbox = TRUE,
                  digits = I(15), na = "null", null = "null"), out)
cat(length(series), "series written to", out, "\n")
