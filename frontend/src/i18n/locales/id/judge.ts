// Indonesian is the reference: en/judge.ts must have exactly these keys.
const messages = {
  judge: {
    slot: '{when} · {place}',
    title: 'Penilaian saya',
    intro: 'Nilai tersimpan otomatis, juga saat sinyal putus.',
    empty:
      'Belum ada inovasi untuk dinilai. Daftar terisi saat kompetisi memasuki tahap presentasi dengan Anda di panel juri.',
    progress: '{final} dari {total} final',
    open: 'Penilaian dibuka sampai {end}',
    opensAt: 'Penilaian dibuka mulai {start}',
    closed: 'Penilaian sudah ditutup',
    unsynced: 'Ada nilai di perangkat ini yang belum terkirim',
    status: {
      to_do: 'Belum dinilai',
      draft: 'Draf',
      final: 'Final',
    },
    conflictDone: 'Konflik kepentingan untuk "{title}" dicatat. Inovasi itu tidak lagi ada di daftar Anda.',
    scoring: {
      title: 'Nilai inovasi',
      back: 'Kembali ke daftar',
      meta: '{agency} · kelompok {group}',
      summary: 'Ringkasan inovasi',
      noSummary: 'Inovator belum menulis ringkasan.',
      video: 'Video presentasi',
      rubric: 'Rubrik penilaian',
      rubricHint: 'Ketuk satu angka untuk setiap kriteria. Nilai disimpan otomatis.',
      weight: 'bobot {weight}%',
      scale: 'Skala {min} (terendah) sampai {max} (tertinggi)',
      comment: 'Catatan untuk inovasi ini',
      commentHint: 'Alasan nilai Anda, untuk Tim Pelaksana.',
      total: 'Total',
      totalOf: '{total} / 100',
      scored: '{scored} dari {count} kriteria dinilai',
      review: 'Tinjau dan kirim',
      restored: 'Nilai yang belum terkirim dari perangkat ini dipulihkan dan sedang dikirim.',
      closed: 'Penilaian tahap presentasi sedang tidak dibuka, jadi nilai tidak dapat diubah.',
      final: 'Lembar nilai ini final (dikirim {at}). Hubungi Tim Pelaksana bila perlu dibuka kembali.',
      submitted: 'Nilai final terkirim. Terima kasih!',
      notScored: 'Belum dinilai',
      noComment: 'Tanpa catatan.',
    },
    review: {
      title: 'Tinjau nilai sebelum dikirim',
      intro: 'Periksa setiap nilai. Setelah dikirim, lembar nilai menjadi final dan tidak dapat diubah lagi.',
      missing: 'Masih ada {n} kriteria yang belum dinilai. Lengkapi dulu sebelum mengirim.',
      fix: 'Nilai {name}',
      criterion: 'Kriteria',
      score: 'Nilai',
      back: 'Kembali ke penilaian',
      submit: 'Kirim nilai final',
      submitting: 'Mengirim…',
      offline: 'Anda sedang luring. Nilai tetap tersimpan di perangkat ini; kirim lagi setelah tersambung.',
    },
    conflict: {
      title: 'Konflik kepentingan',
      intro:
        'Punya hubungan dengan inovasi ini (keluarga di tim, ikut menyusunnya)? Nyatakan konflik: Anda tidak lagi menilainya dan draf nilai Anda dihapus.',
      declare: 'Nyatakan konflik kepentingan',
      dialogTitle: 'Nyatakan konflik kepentingan?',
      dialogBody:
        '"{title}" keluar dari daftar penilaian Anda. Tindakan ini dicatat; hanya Tim Pelaksana yang dapat membatalkannya.',
      reason: 'Alasan',
      reasonHint: 'Misalnya: "Adik saya anggota tim inovasi ini."',
      reasonRequired: 'Tuliskan alasannya.',
      confirm: 'Nyatakan konflik',
    },
  },
}

export type JudgeMessages = typeof messages
export default messages
