import { computed, toValue, type MaybeRefOrGetter } from 'vue'
import { useI18n } from 'vue-i18n'

export const DEFAULT_TIME_ZONE = 'Asia/Makassar' // WITA, the first users' zone

const BCP47: Record<string, string> = { id: 'id-ID', en: 'en-GB' }
const cache = new Map<string, Intl.DateTimeFormat>()

function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`
  let fmt = cache.get(key)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(BCP47[locale] ?? locale, { ...options, timeZone })
    cache.set(key, fmt)
  }
  return fmt
}

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/** Date and time in `timeZone`, with the zone's name ("11 Okt 2021, 09.30 WITA"). */
export function formatDateTime(
  value: string | number | Date | null | undefined,
  locale: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): string {
  const date = value == null ? null : toDate(value)
  if (!date) return ''
  return formatter(locale, timeZone, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(date)
}

/** The calendar date in `timeZone` ("11 Oktober 2021"). */
export function formatDate(
  value: string | number | Date | null | undefined,
  locale: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): string {
  const date = value == null ? null : toDate(value)
  if (!date) return ''
  return formatter(locale, timeZone, { day: 'numeric', month: 'long', year: 'numeric' }).format(date)
}

/** Formatters bound to the UI locale and a competition's time zone. */
export function useDateFormat(timeZone?: MaybeRefOrGetter<string | null | undefined>) {
  const { locale } = useI18n()
  const zone = computed(() => toValue(timeZone) || DEFAULT_TIME_ZONE)
  return {
    timeZone: zone,
    formatDateTime: (value: string | number | Date | null | undefined) =>
      formatDateTime(value, locale.value, zone.value),
    formatDate: (value: string | number | Date | null | undefined) => formatDate(value, locale.value, zone.value),
  }
}
