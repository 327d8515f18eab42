# tests/layering/check_includes.cmake - the layers of the code, checked from its #include lines.
#
# Usage: cmake -DROOT=<repository> -P tests/layering/check_includes.cmake
#
# Every folder of the code is a layer with a rank. A file may include its own folder and any
# folder of a lower rank; an include of a folder of the same or a higher rank is a forbidden edge
# (which is also what makes a cycle between folders impossible). Known edges still to be removed
# are listed in `debt`; the check fails on any other forbidden edge, and on a debt entry that no
# longer occurs (so the list only shrinks). README, "Layout", draws the same picture.

# folder -> rank, lowest first. The data path reads from app/ down to ringbuf/.
set(ranks
  "ringbuf=0"           # the lock-free rings
  "engine/audio=10"     # frames and sample conversion
  "engine/stats=10"     # histograms and time series
  "engine/util=10"      # clocks, numbers, text, the real-time guard's scope
  "engine/core=15"      # blocks, counters, sinks, observers, gap arithmetic, outcomes
  "engine/dsp=20"       # effects and meters
  "engine/files=20"     # sound files
  "engine/device=20"    # PortAudio and JACK
  "engine/tap=20"       # the shared-memory tap
  "engine/capture=25"   # the capture path's parts: producer, consumer, worker, takes, report data
  "engine/playthrough=26" # playback's parts: the feeder and the sink
  "engine/latency=27"   # the multi-tone measurement's parts
  "engine/offline=30"   # the file-to-file pipeline
  "engine/live=30"      # the live runs: rigs, sessions, the tap's copy
  "engine/report=40"    # HTML pages and charts of the reports
  "app=50")             # the command line

# Forbidden edges still to be removed, as "from -> to" (none left: keep it that way).
set(debt)

if(NOT ROOT)
  message(FATAL_ERROR "check_includes: pass -DROOT=<repository>")
endif()

# rank_of(folder out): the rank of `folder`, or "" when it is not a layer.
function(rank_of folder out)
  set(result "")
  foreach(entry IN LISTS ranks)
    string(REPLACE "=" ";" pair "${entry}")
    list(GET pair 0 name)
    list(GET pair 1 rank)
    if(name STREQUAL folder)
      set(result ${rank})
    endif()
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# folder_of(path out): the layer a repository path belongs to ("engine/dsp", "ringbuf", "app").
function(folder_of path out)
  if(path MATCHES "^engine/([a-z_]+)/")
    set(${out} "engine/${CMAKE_MATCH_1}" PARENT_SCOPE)
  elseif(path MATCHES "^ringbuf/")
    set(${out} "ringbuf" PARENT_SCOPE)
  elseif(path MATCHES "^app/")
    set(${out} "app" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

file(GLOB_RECURSE sources RELATIVE "${ROOT}"
  "${ROOT}/app/*.hpp" "${ROOT}/app/*.cpp"
  "${ROOT}/engine/*.hpp" "${ROOT}/engine/*.cpp"
  "${ROOT}/ringbuf/*.hpp")
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "check_includes: no sources under ${ROOT}")
endif()

set(failures "")
set(seen_debt "")
set(edges 0)
foreach(source IN LISTS sources)
  folder_of("${source}" from)
  rank_of("${from}" from_rank)
  if(from_rank STREQUAL "")
    string(APPEND failures "  ${source}: folder '${from}' has no rank (add it to `ranks`)\n")
    continue()
  endif()
  file(STRINGS "${ROOT}/${source}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" target "${line}")
    if(target MATCHES "^ringbuf/")
      set(to "ringbuf")
    else()
      folder_of("${target}" to)
    endif()
    if(to STREQUAL "")
      string(APPEND failures "  ${source}: \"${target}\" names no layer (include from the root)\n")
      continue()
    endif()
    math(EXPR edges "${edges} + 1")
    if(to STREQUAL from)
      continue()
    endif()
    rank_of("${to}" to_rank)
    if(to_rank STREQUAL "")
      string(APPEND failures "  ${source}: includes \"${target}\", folder '${to}' has no rank\n")
    elseif(to_rank LESS from_rank)
      continue()
    elseif("${from} -> ${to}" IN_LIST debt)
      list(APPEND seen_debt "${from} -> ${to}")
    else()
      string(APPEND failures
        "  ${source}: includes \"${target}\" (${to}, rank ${to_rank}) from ${from} (rank ${from_rank})\n")
    endif()
  endforeach()
endforeach()

foreach(entry IN LISTS debt)
  if(NOT entry IN_LIST seen_debt)
    string(APPEND failures "  debt '${entry}' no longer occurs: remove it from the list\n")
  endif()
endforeach()

if(failures)
  message(FATAL_ERROR "check_includes: forbidden includes (a layer may include only lower ones):\n${failures}")
endif()
list(REMOVE_DUPLICATES seen_debt)
list(LENGTH seen_debt debt_left)
message(STATUS "check_includes: ${count} files, ${edges} includes, every edge points down (${debt_left} known debts)")
